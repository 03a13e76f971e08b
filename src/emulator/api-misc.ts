/**
 * The remaining methods: api.test, auth.test, users.*, views.* and the external file upload flow.
 */
import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import {
  ApiError,
  authorFields,
  channelArg,
  int,
  type MethodContext,
  type MethodHandler,
  need,
  ok,
  str,
} from './api-common';
import { type EmulatorState, TRIGGER_TTL_MS } from './state';
import type { FileRecord, SlackFile, UserRecord, ViewRecord } from './types';
import { viewRejection } from './validate';

const apiTest: MethodHandler = (ctx) => ok({ args: ctx.args });

const authTest: MethodHandler = (ctx) => {
  const { identity } = ctx.state;
  const user = ctx.state.users.get(ctx.caller.userId);
  return ok({
    url: `https://${identity.teamDomain}.slack.com/`,
    team: identity.teamName,
    user: user?.name ?? ctx.caller.userId,
    team_id: identity.teamId,
    user_id: ctx.caller.userId,
    ...(ctx.caller.botId ? { bot_id: ctx.caller.botId } : {}),
    is_enterprise_install: false,
  });
};

/** UTC offset of a zone right now, in seconds. */
function tzOffsetSeconds(tz: string): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === '-' ? -seconds : seconds;
  } catch {
    return 0;
  }
}

/** A user object as users.info returns it. */
export function presentUser(state: EmulatorState, user: UserRecord): Record<string, unknown> {
  const { identity } = state;
  const avatar = `https://avatars.example/${user.id}`;
  return {
    id: user.id,
    team_id: identity.teamId,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.real_name,
    tz: user.tz,
    tz_label: user.tz,
    tz_offset: tzOffsetSeconds(user.tz),
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.name,
      display_name_normalized: user.name,
      ...(user.email && !user.is_bot ? { email: user.email } : {}),
      ...(user.is_bot && user.id === identity.botUserId
        ? { bot_id: identity.botId, api_app_id: identity.appId }
        : {}),
      image_24: `${avatar}_24.png`,
      image_48: `${avatar}_48.png`,
      image_72: `${avatar}_72.png`,
      team: identity.teamId,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.is_bot,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

const usersInfo: MethodHandler = (ctx) => {
  const user = ctx.state.users.get(need(ctx.args, 'user', 'user_not_found'));
  if (!user) throw new ApiError('user_not_found');
  return ok({ user: presentUser(ctx.state, user) });
};

const usersList: MethodHandler = (ctx) =>
  ok({
    members: [...ctx.state.users.values()].map((u) => presentUser(ctx.state, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: '' },
  });

// ---- views ---------------------------------------------------------------------------------------------

function invalidArguments(messages: string[]): ApiError {
  return new ApiError('invalid_arguments', { response_metadata: { messages } });
}

/** The `view` argument, validated. */
function viewArg(ctx: MethodContext): Record<string, unknown> {
  const rejection = viewRejection(ctx.args.view);
  if (rejection) throw invalidArguments(rejection.messages);
  return ctx.args.view as Record<string, unknown>;
}

const newHash = (): string => `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;

/** A view object as views.* return it. */
function presentView(ctx: MethodContext, record: ViewRecord): Record<string, unknown> {
  const { identity } = ctx.state;
  return {
    id: record.id,
    team_id: identity.teamId,
    private_metadata: '',
    callback_id: '',
    external_id: record.external_id ?? '',
    clear_on_close: false,
    notify_on_close: false,
    ...structuredClone(record.view),
    state: { values: {} },
    hash: record.hash,
    root_view_id: record.root_view_id,
    previous_view_id: record.previous_view_id,
    app_id: identity.appId,
    app_installed_team_id: identity.teamId,
    bot_id: identity.botId,
  };
}

function openView(ctx: MethodContext, previous: ViewRecord | undefined): ViewRecord {
  const triggerId = str(ctx.args, 'trigger_id') ?? str(ctx.args, 'interactivity_pointer');
  if (!triggerId) throw invalidArguments(['[ERROR] missing required field: trigger_id']);
  const view = viewArg(ctx);
  // A trigger the emulator handed out is good once, for 3 seconds (others are taken as they come).
  const trigger = ctx.state.triggers.get(triggerId);
  if (trigger?.exchanged) throw new ApiError('exchanged_trigger_id');
  if (trigger && Date.now() - trigger.mintedAt > TRIGGER_TTL_MS) throw new ApiError('expired_trigger_id');
  if (trigger) trigger.exchanged = true;
  const id = ctx.state.nextId('V');
  const record: ViewRecord = {
    id,
    view,
    hash: newHash(),
    trigger_id: triggerId,
    ...(typeof view.external_id === 'string' ? { external_id: view.external_id } : {}),
    root_view_id: previous?.root_view_id ?? id,
    previous_view_id: previous?.id ?? null,
  };
  ctx.state.views.set(id, record);
  return record;
}

const viewsOpen: MethodHandler = (ctx) => ok({ view: presentView(ctx, openView(ctx, undefined)) });

const viewsPush: MethodHandler = (ctx) => {
  const top = [...ctx.state.views.values()].filter((v) => v.view.type === 'modal').pop();
  return ok({ view: presentView(ctx, openView(ctx, top)) });
};

const viewsUpdate: MethodHandler = (ctx) => {
  const viewId = str(ctx.args, 'view_id');
  const externalId = str(ctx.args, 'external_id');
  if (!viewId && !externalId) throw invalidArguments(['[ERROR] either view_id or external_id is required']);
  const record = viewId
    ? ctx.state.views.get(viewId)
    : [...ctx.state.views.values()].find((v) => v.external_id === externalId);
  if (!record) throw new ApiError('not_found');
  const hash = str(ctx.args, 'hash');
  if (hash !== undefined && hash !== record.hash) throw new ApiError('hash_conflict');
  record.view = viewArg(ctx);
  record.hash = newHash();
  return ok({ view: presentView(ctx, record) });
};

const viewsPublish: MethodHandler = (ctx) => {
  const user = need(ctx.args, 'user_id', 'invalid_arguments');
  if (!ctx.state.users.has(user)) throw new ApiError('user_not_found');
  const view = viewArg(ctx);
  if (view.type !== 'home') throw invalidArguments(['[ERROR] must be home [json-pointer:/view/type]']);
  const existing = [...ctx.state.views.values()].find((v) => v.user === user && v.view.type === 'home');
  const id = existing?.id ?? ctx.state.nextId('V');
  const record: ViewRecord = { id, view, hash: newHash(), user, root_view_id: id, previous_view_id: null };
  ctx.state.views.set(id, record);
  return ok({ view: presentView(ctx, record) });
};

// ---- files ---------------------------------------------------------------------------------------------

const MIME_TYPES: Record<string, [mimetype: string, pretty: string]> = {
  md: ['text/markdown', 'Markdown (raw)'],
  txt: ['text/plain', 'Plain Text'],
  json: ['application/json', 'JSON'],
  csv: ['text/csv', 'CSV'],
  html: ['text/html', 'HTML'],
  pdf: ['application/pdf', 'PDF'],
  png: ['image/png', 'PNG'],
  jpg: ['image/jpeg', 'JPEG'],
  log: ['text/plain', 'Plain Text'],
};

/** A file object as Slack returns it. */
export function presentFile(state: EmulatorState, origin: string, file: FileRecord): SlackFile {
  const ext = extname(file.filename).slice(1).toLowerCase();
  const [mimetype, pretty] = MIME_TYPES[ext] ?? ['application/octet-stream', 'Binary'];
  const url = `${origin}/files/${file.id}/${encodeURIComponent(file.filename)}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.filename,
    title: file.title,
    mimetype,
    filetype: ext || 'binary',
    pretty_type: pretty,
    user: file.user,
    size: file.bytes?.length ?? 0,
    mode: 'hosted',
    is_external: false,
    is_public: file.channels.some((id) => state.channels.get(id)?.is_private === false),
    url_private: url,
    url_private_download: `${url}?download=1`,
    permalink: `https://${state.identity.teamDomain}.slack.com/files/${file.user}/${file.id}/${file.filename}`,
    channels: [...file.channels],
    ...(file.alt_txt ? { alt_txt: file.alt_txt } : {}),
  };
}

const getUploadURLExternal: MethodHandler = (ctx) => {
  const filename = str(ctx.args, 'filename');
  const length = int(ctx.args, 'length', -1);
  if (!filename) throw invalidArguments(['[ERROR] missing required field: filename']);
  if (length < 1) throw invalidArguments(['[ERROR] missing required field: length']);
  const id = ctx.state.nextId('F');
  const uploadPath = `/upload/v1/${id}/${randomBytes(8).toString('hex')}`;
  ctx.state.files.set(id, {
    id,
    filename,
    title: filename,
    declaredLength: length,
    ...(str(ctx.args, 'alt_txt') ? { alt_txt: str(ctx.args, 'alt_txt') } : {}),
    ...(str(ctx.args, 'snippet_type') ? { snippet_type: str(ctx.args, 'snippet_type') } : {}),
    user: ctx.caller.userId,
    created: Math.floor(Date.now() / 1000),
    uploadPath,
    completed: false,
    channels: [],
  });
  return ok({ upload_url: `${ctx.origin}${uploadPath}`, file_id: id });
};

const completeUploadExternal: MethodHandler = (ctx) => {
  const entries = ctx.args.files;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw invalidArguments(['[ERROR] missing required field: files']);
  }
  const files = entries.map((entry: unknown) => {
    const { id, title } = (entry ?? {}) as { id?: unknown; title?: unknown };
    const file = typeof id === 'string' ? ctx.state.files.get(id) : undefined;
    if (!file?.bytes || file.completed || file.user !== ctx.caller.userId)
      throw new ApiError('file_not_found');
    return { file, title: typeof title === 'string' && title.length > 0 ? title : file.filename };
  });
  const channelIds = [str(ctx.args, 'channel_id'), ...(str(ctx.args, 'channels') ?? '').split(',')]
    .map((c) => c?.trim())
    .filter((c): c is string => !!c);
  const channels = [...new Set(channelIds)].map((ref) => channelArg({ ...ctx, args: { channel: ref } }));
  for (const { file, title } of files) {
    file.completed = true;
    file.title = title;
    file.channels = channels.map((c) => c.id);
  }
  const presented = files.map(({ file }) => presentFile(ctx.state, ctx.origin, file));
  const threadTs = str(ctx.args, 'thread_ts');
  const comment = str(ctx.args, 'initial_comment');
  for (const channel of channels) {
    ctx.state.insertMessage(channel, {
      type: 'message',
      subtype: 'file_share',
      ts: ctx.state.clock.next(),
      ...authorFields(ctx),
      text: comment ?? '',
      ...(comment === undefined && Array.isArray(ctx.args.blocks) ? { blocks: ctx.args.blocks } : {}),
      files: presented,
      upload: true,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
  return ok({ files: presented });
};

/** Handlers of api.test, auth.test, users.*, views.* and files.*External. */
export const miscMethods: Record<string, MethodHandler> = {
  'api.test': apiTest,
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.list': usersList,
  'views.open': viewsOpen,
  'views.push': viewsPush,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};
