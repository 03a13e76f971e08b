/**
 * Slack Web API emulator: a real HTTP server for integration tests, the demo and benchmarks.
 */
export { METHODS } from './api';
export {
  appHomeOpenedEvent,
  type BlockActionInput,
  blockActionsPayload,
  EMULATOR_VERIFICATION_TOKEN,
  type EventCallbackOptions,
  type EventOptions,
  eventCallbackPayload,
  type FormEntries,
  globalShortcutPayload,
  type InteractionPayload,
  type InteractionType,
  interactionBody,
  messageShortcutPayload,
  mintTrigger,
  newEventId,
  newTriggerId,
  type PayloadSource,
  type SignedHttpOptions,
  SignedHttpSender,
  type SigningOptions,
  type SlackReply,
  SlackRequestClient,
  type SlackRequestClientOptions,
  type SlashCommandFields,
  type SlashReply,
  signingHeaders,
  slackSignature,
  slashCommandPayload,
  viewSubmissionPayload,
} from './client';
export { ANY_METHOD, FILE_UPLOAD, RESPONSE_URL } from './failures';
export type { WaitOptions } from './recorder';
export { mrkdwnToText, type RenderableMessage, type RenderOptions, renderMessageAsText } from './render';
export { type ChannelSnapshot, type SeedMessage, SlackEmulator, type UploadedFile } from './slack-emulator';
export {
  APPS_CONNECTIONS_OPEN,
  SOCKET_PATH,
  SOCKET_VERIFICATION_TOKEN,
  type SocketAck,
  type SocketEnvelope,
  type SocketEnvelopeType,
  type SocketEventOptions,
  type SocketInteractiveOptions,
  type SocketSendOptions,
} from './socket-mode';
export { SEEDED_CHANNELS, SEEDED_USERS } from './state';
export type {
  ApiResponse,
  Args,
  EmulatorOptions,
  EphemeralRecord,
  Failure,
  Reaction,
  RecordedCall,
  RecordedResponse,
  SlackFile,
  SlackMessage,
  UserRecord,
  ViewRecord,
} from './types';
export {
  channelNameError,
  MAX_BLOCKS_JSON,
  MAX_BLOCKS_TEXT,
  MAX_CHANNEL_NAME,
  MAX_MESSAGE_BLOCKS,
  MAX_TEXT_LENGTH,
  MAX_VIEW_BLOCKS,
  messageBlocksRejection,
  viewRejection,
} from './validate';
