/**
 * What the service unit tests stand in for the outside world: a real SQLite store on a temporary
 * file, and in-memory implementations of the ports to Slack (`SlackGateway`, `Responder`,
 * `Renderer`) that record every call. None of our own logic is replaced.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { draftIncident } from '../../src/domain/lifecycle';
import type { Incident, Severity } from '../../src/domain/types';
import type { Renderer } from '../../src/services/renderer';
import type { Page, PostedMatch, Responder, SlackGateway, SlackUser } from '../../src/services/slack-gateway';
import type { Store } from '../../src/storage';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';

/** A fresh SQLite store in its own temporary folder; `dispose` closes it and removes the folder. */
export function openTempStore(): { store: SqliteStore; dir: string; dispose: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fw-svc-'));
  const store = SqliteStore.open(path.join(dir, 'fw.db'));
  return {
    store,
    dir,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An incident with a channel, stored as a declaration would leave it (without its side effects). */
export async function storedIncident(
  store: Store,
  over: {
    title?: string;
    severity?: Severity;
    channelId?: string;
    channelName?: string;
    declaredAt?: number;
  } = {},
): Promise<Incident> {
  const declaredAt = over.declaredAt ?? Date.UTC(2026, 1, 20, 10, 0);
  const draft = await store.createIncident(
    draftIncident({
      title: over.title ?? 'Database down',
      severity: over.severity ?? 'P2',
      declaredBy: 'UALICE',
      originChannelId: 'CGENERAL',
      declaredAt,
    }),
    new Date(declaredAt).getUTCFullYear(),
  );
  const incident: Incident = {
    ...draft,
    channelId: over.channelId ?? 'CINC',
    channelName: over.channelName ?? 'inc-2026-001-database-down',
  };
  await store.applyChange(incident.id, { incident }, declaredAt);
  return incident;
}

/** One recorded call to the fake Slack. */
export interface SlackCall {
  method: keyof SlackGateway;
  args: unknown[];
}

/**
 * An in-memory Slack Web API: records every call; each method does what `behaviour` says, or by
 * default succeeds (channels get ids `CNEW1`, `CNEW2`…; posts get ts `1800000000.000001`, …;
 * history and replies are empty).
 */
export class FakeSlack implements SlackGateway {
  readonly calls: SlackCall[] = [];
  private channels = 0;
  private posts = 0;

  constructor(readonly behaviour: Partial<SlackGateway> = {}) {}

  /** The arguments of every call to `method`, in order. */
  argsOf(method: keyof SlackGateway): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private record(method: keyof SlackGateway, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async createChannel(name: string, opts?: { isPrivate?: boolean }) {
    this.record('createChannel', opts === undefined ? [name] : [name, opts]);
    if (this.behaviour.createChannel) return this.behaviour.createChannel(name, opts);
    this.channels += 1;
    return { ok: true as const, id: `${opts?.isPrivate ? 'G' : 'C'}NEW${this.channels}`, name };
  }

  /** By default everyone is an active person named after their id. */
  async lookupUser(userId: string): Promise<SlackUser | null> {
    this.record('lookupUser', [userId]);
    if (this.behaviour.lookupUser) return this.behaviour.lookupUser(userId);
    return { id: userId, name: userId, deleted: false, isBot: false };
  }

  async invite(channel: string, users: string[]) {
    this.record('invite', [channel, users]);
    await this.behaviour.invite?.(channel, users);
  }

  async postMessage(channel: string, text: string, blocks?: unknown[], key?: string) {
    this.record('postMessage', key === undefined ? [channel, text, blocks] : [channel, text, blocks, key]);
    if (this.behaviour.postMessage) return this.behaviour.postMessage(channel, text, blocks, key);
    this.posts += 1;
    return { ts: `1800000000.${String(this.posts).padStart(6, '0')}` };
  }

  async findPosted(channel: string, since: number, match: PostedMatch): Promise<string | null> {
    this.record('findPosted', [channel, since, match]);
    return this.behaviour.findPosted ? this.behaviour.findPosted(channel, since, match) : null;
  }

  async updateMessage(channel: string, ts: string, text: string, blocks?: unknown[]) {
    this.record('updateMessage', [channel, ts, text, blocks]);
    await this.behaviour.updateMessage?.(channel, ts, text, blocks);
  }

  async pin(channel: string, ts: string) {
    this.record('pin', [channel, ts]);
    await this.behaviour.pin?.(channel, ts);
  }

  async postEphemeral(channel: string, user: string, text: string) {
    this.record('postEphemeral', [channel, user, text]);
    await this.behaviour.postEphemeral?.(channel, user, text);
  }

  async openModal(triggerId: string, view: unknown) {
    this.record('openModal', [triggerId, view]);
    await this.behaviour.openModal?.(triggerId, view);
  }

  async publishHome(userId: string, view: unknown) {
    this.record('publishHome', [userId, view]);
    await this.behaviour.publishHome?.(userId, view);
  }

  async history(channel: string, query: Parameters<SlackGateway['history']>[1]): Promise<Page> {
    this.record('history', [channel, query]);
    if (this.behaviour.history) return this.behaviour.history(channel, query);
    return { messages: [], nextCursor: null };
  }

  async replies(channel: string, ts: string, cursor?: string): Promise<Page> {
    this.record('replies', [channel, ts, cursor]);
    if (this.behaviour.replies) return this.behaviour.replies(channel, ts, cursor);
    return { messages: [], nextCursor: null };
  }
}

/** A responder that records what it was asked to say, and how. */
export function recordingResponder(): {
  responder: Responder;
  said: { how: 'ephemeral' | 'inChannel'; text: string }[];
} {
  const said: { how: 'ephemeral' | 'inChannel'; text: string }[] = [];
  return {
    said,
    responder: {
      ephemeral: async (text) => {
        said.push({ how: 'ephemeral', text });
      },
      inChannel: async (text) => {
        said.push({ how: 'inChannel', text });
      },
    },
  };
}

/** A renderer that draws recognisable stand-ins instead of Block Kit. */
export const fakeRenderer: Renderer = {
  card: ({ incident, terms, timeZone, now }) => ({
    text: `card ${incident.id} ${incident.severity} ${incident.status}`,
    blocks: [{ card: incident.id, status: incident.status, roles: terms.length, timeZone, now }],
  }),
  postmortemSummary: (doc, { markdownFileName }) => ({
    text: `summary ${doc.incidentId}: ${doc.incidentTitle}`,
    blocks: [{ summary: doc.incidentId, file: markdownFileName }],
  }),
  declareModal: (originChannel) => ({ type: 'modal', originChannel }),
  home: (view) => ({ type: 'home', view }),
  updateReminder: (r) => ({
    text: `update ${r.incident.id} ${r.nudge.join(' ')}`,
    blocks: [{ reminder: r.key }],
  }),
  overdueReminder: (r) => ({
    text: `overdue ${r.incident.id} #${r.item.seq}`,
    blocks: [{ reminder: r.key }],
  }),
};

/** A Slack Web API rate-limit error as @slack/web-api throws it. */
export const rateLimited = (retryAfter: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });

/** A bare incident declared at `now` (year 1970: `now` is a small test clock), for outbox tests. */
export function bareIncident(store: Store, now: number): Promise<Incident> {
  return store.createIncident(
    draftIncident({ title: 't', severity: 'P3', declaredBy: 'U1', originChannelId: null, declaredAt: now }),
    1970,
  );
}
