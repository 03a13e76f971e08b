import type { App } from '@slack/bolt';
import type { CaptureService } from '../../services/capture-service';
import { memberJoined } from './member-joined';
import { memberLeft } from './member-left';
import { messageEvent } from './message';
import { reactionAdded } from './reaction-added';
import { reactionRemoved } from './reaction-removed';

export function registerEvents(app: App, capture: CaptureService): void {
  app.event('message', messageEvent(capture));
  app.event('reaction_added', reactionAdded(capture));
  app.event('reaction_removed', reactionRemoved(capture));
  app.event('member_joined_channel', memberJoined(capture));
  app.event('member_left_channel', memberLeft(capture));
}
