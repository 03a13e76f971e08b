import crypto from 'node:crypto';

/** Slack's request signature: `v0=` + HMAC-SHA256(secret, `v0:<ts>:<raw body>`) as hex. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}
