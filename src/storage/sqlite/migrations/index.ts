import * as m001 from './001-initial';
import * as m002 from './002-capture';
import * as m003 from './003-postmortems';
import * as m004 from './004-people';
import * as m005 from './005-private-and-membership';
import * as m006 from './006-claims-and-leases';
import * as m007 from './007-reminders';

/** Migrations in order; migration N brings the schema to `user_version` N. Never edit a shipped one. */
export const MIGRATIONS: readonly { name: string; up: string }[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-capture', up: m002.up },
  { name: '003-postmortems', up: m003.up },
  { name: '004-people', up: m004.up },
  { name: '005-private-and-membership', up: m005.up },
  { name: '006-claims-and-leases', up: m006.up },
  { name: '007-reminders', up: m007.up },
];
