import * as m001 from './001-initial';

/** Migrations in order; migration N brings the schema to `user_version` N. Never edit a shipped one. */
export const MIGRATIONS: readonly { name: string; up: string }[] = [{ name: '001-initial', up: m001.up }];
