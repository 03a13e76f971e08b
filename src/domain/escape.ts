/**
 * Moved to `src/shared/slack-text`. This re-export remains only for
 * `src/storage/sqlite/sqlite-store.ts`, which is outside this change; delete this file once that
 * import points at `src/shared/slack-text`.
 */
export { decodeSlackEntities } from '../shared/slack-text';
