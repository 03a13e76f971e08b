import * as m001 from './001-initial';
import * as m002 from './002-claims-and-leases';
import * as m003 from './003-reminders';

/** PostgreSQL migrations in order; migration N is row N of `schema_migrations`. Never edit a shipped one. */
export const MIGRATIONS: readonly { name: string; up: string }[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-claims-and-leases', up: m002.up },
  { name: '003-reminders', up: m003.up },
];
