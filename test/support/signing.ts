/** Slack's request signature, from the one signed request client. */
export { slackSignature } from '../../src/emulator/client';
