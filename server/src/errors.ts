/**
 * The MemOS error codes (contract §1.5) and the one error type the engine and the HTTP layer throw.
 * Business errors travel as `{code, data: null, message}`; the HTTP status is only a hint (see config.httpErrorStatus).
 */
export const ErrorCode = {
  InvalidParams: 40000,
  NotFound: 40001,
  RequiredEmpty: 40002,
  FieldEmpty: 40003,
  UnsupportedType: 40006,
  UnsupportedFileType: 40007,
  InvalidBase64Content: 40008,
  InvalidBase64Format: 40009,
  UserIdTooLong: 40010,
  ConversationIdTooLong: 40011,
  InvalidRelativity: 40012,
  MessagesTooLong: 40013,
  InvalidProjectId: 40020,
  ApiKeyRequired: 40100,
  KeyCannotAccessProject: 40103,
  InvalidApiKey: 40132,
  RateLimited: 40300,
  ChatInputTooLong: 40301,
  ChatOutputTooLong: 40302,
  ChatOverModelLimit: 40303,
  QuotaExhausted: 40304,
  InputTooLong: 40305,
  DeleteForbidden: 40306,
  MemoryToDeleteNotFound: 40307,
  UserToDeleteNotFound: 40308,
  TokenWindowExceeded: 40309,
  Internal: 50000,
  OperationFailed: 50002,
  MemoryServiceUnavailable: 50004,
  SearchServiceUnavailable: 50005,
  TooManyFiles: 50103,
  FileTooLarge: 50104,
  UploadTooLarge: 50105,
  InvalidFileFormat: 50107,
  KnowledgeBaseNotFound: 50120,
  KnowledgeBaseNotLinked: 50123,
  TaskNotFound: 50131,
  AddMemoryFailed: 50143,
  AddMessageFailed: 50144,
  FeedbackFailed: 50145,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status used when the server is configured to map business errors onto HTTP statuses. */
export function httpStatusFor(code: number): number {
  if (code === ErrorCode.ApiKeyRequired || code === ErrorCode.InvalidApiKey) return 401;
  if (code === ErrorCode.KeyCannotAccessProject || code === ErrorCode.DeleteForbidden) return 403;
  if (code === ErrorCode.RateLimited || code === ErrorCode.TokenWindowExceeded) return 429;
  if (code === ErrorCode.NotFound || code === ErrorCode.TaskNotFound || code === ErrorCode.KnowledgeBaseNotFound) return 404;
  if (code === ErrorCode.MemoryToDeleteNotFound || code === ErrorCode.UserToDeleteNotFound) return 404;
  if (code === ErrorCode.FileTooLarge || code === ErrorCode.UploadTooLarge) return 413;
  // The contract numbers these upload and knowledge-base mistakes 5xxxx, but they are the client's: 4xx.
  if (code === ErrorCode.TooManyFiles || code === ErrorCode.InvalidFileFormat) return 400;
  if (code === ErrorCode.KnowledgeBaseNotLinked) return 403;
  if (code >= 50000) return code === ErrorCode.MemoryServiceUnavailable || code === ErrorCode.SearchServiceUnavailable ? 503 : 500;
  return 400;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const fail = (code: ErrorCodeValue, message: string): never => {
  throw new ApiError(code, message);
};
