export { startServer, type RunningServer } from './server';
export { loadConfig, SETTINGS, type Config } from './config';
export { ErrorCode, ApiError } from './errors';
