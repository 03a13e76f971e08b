/**
 * The method table: Web API method name → handler, and the dispatcher that turns handler errors into
 * Slack's `{ ok: false, error }` answers.
 */
import { chatMethods } from './api-chat';
import { ApiError, type MethodContext, type MethodHandler } from './api-common';
import { conversationMethods } from './api-conversations';
import { miscMethods } from './api-misc';
import type { ApiResponse } from './types';

/** Every Web API method the emulator implements. */
export const METHODS: Readonly<Record<string, MethodHandler>> = {
  ...miscMethods,
  ...conversationMethods,
  ...chatMethods,
};

/** Methods Slack answers without a token. */
export const UNAUTHENTICATED_METHODS: ReadonlySet<string> = new Set(['api.test']);

/** Whether `method` is implemented. */
export const isKnownMethod = (method: string): boolean => Object.hasOwn(METHODS, method);

/** Runs a method; Slack errors raised by the handler become `{ ok: false, error, ... }`. */
export function dispatch(method: string, ctx: MethodContext): ApiResponse {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!handler) return { ok: false, error: 'unknown_method' };
  try {
    return handler(ctx);
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.code, ...error.extra };
    throw error;
  }
}
