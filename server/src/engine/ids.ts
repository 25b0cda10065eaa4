import { randomUUID } from 'node:crypto';

export const newMemoryId = () => randomUUID();
export const newTaskId = () => 'task-' + randomUUID();
