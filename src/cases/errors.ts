// Errors of the domain: what a caller asked for cannot be done, said in the domain's words. The one
// HTTP error handler (src/http/error-handler.ts) maps them to status codes; nothing below the routes
// knows about HTTP.

export abstract class DomainError extends Error {
  constructor(
    message: string,
    /** Machine-readable particulars (the fields at fault, the state found…), passed on to the caller. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing named does not exist (or is not the caller's). */
export class NotFound extends DomainError {}

/** The request is valid but clashes with the current state (a closed case, a concurrent change). */
export class Conflict extends DomainError {}

/** The input is wrong in a way the caller can fix. */
export class Invalid extends DomainError {}

/** The input is well-formed but cannot be applied as given (an Idempotency-Key reused with another body). */
export class Unprocessable extends DomainError {}
