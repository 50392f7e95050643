/** Coded errors: every error the bot raises on purpose has a stable code and a message safe to log. */

export enum ErrorCode {
  ConfigInvalid = 'vangnet_config_invalid',
  KnowledgeInvalid = 'vangnet_knowledge_invalid',
  TemplateMissing = 'vangnet_template_missing',
  TemplateInvalid = 'vangnet_template_invalid',
  StoreFailure = 'vangnet_store_failure',
  StoreConflict = 'vangnet_store_conflict',
  StoreLocked = 'vangnet_store_locked',
  StoreInvalid = 'vangnet_store_invalid',
  StoreReadOnly = 'vangnet_store_read_only',
  BadRequest = 'vangnet_bad_request',
  NotFound = 'vangnet_not_found',
}

export class VangnetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is missing or invalid; the message names the variable and what is expected. */
export class ConfigError extends VangnetError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(ErrorCode.ConfigInvalid, message);
  }
}

export class KnowledgeError extends VangnetError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(ErrorCode.KnowledgeInvalid, message);
  }
}

export class TemplateError extends VangnetError {
  constructor(code: ErrorCode.TemplateMissing | ErrorCode.TemplateInvalid, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

export class StoreError extends VangnetError {
  constructor(
    message: string,
    cause?: unknown,
    code:
      | ErrorCode.StoreFailure
      | ErrorCode.StoreLocked
      | ErrorCode.StoreInvalid
      | ErrorCode.StoreReadOnly = ErrorCode.StoreFailure,
  ) {
    super(code, message, { cause });
  }
}

/**
 * A conditional write lost: someone else changed the record since it was read. Re-read, decide again, retry
 * (`withRetry`); never shown to a user as such.
 */
export class ConflictError extends VangnetError {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(ErrorCode.StoreConflict, `${entity} ${id} was changed by someone else`);
  }
}
