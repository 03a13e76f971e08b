/**
 * Who may hold a role: a real, active, human user of the workspace, never a bot and never
 * Firewatch itself. Pure: what Slack said about the user (users.info) comes in as an argument.
 */
import { type Outcome, refuse } from './changes';
import { ROLE_LABELS, type RoleName } from './types';

/**
 * What Slack answered about a user id:
 * - `person`: an active human user;
 * - `not_found`: Slack knows no such user (`user_not_found`);
 * - `deactivated`: the account is deleted;
 * - `bot`: a bot or app user;
 * - `unknown`: Slack could not be asked (down, slow, or any other error).
 */
export type UserStanding = 'person' | 'not_found' | 'deactivated' | 'bot' | 'unknown';

/** Slackbot is reported as a human user by Slack, but it is not one. */
const SLACKBOT = 'USLACKBOT';

/**
 * Refuses a role for someone who cannot hold it, or null when they may. Only definitive answers
 * refuse (unknown user, deactivated, a bot, Firewatch's own user id): when Slack cannot be asked
 * (`unknown`), the assignment stands, because incident response must not stop when Slack's API
 * blips. Each refusal says what was expected.
 * @param botUserId Firewatch's own user id, when known
 */
export function refuseRoleHolder(
  userId: string,
  role: RoleName,
  standing: UserStanding,
  botUserId: string | null,
): Outcome | null {
  const label = ROLE_LABELS[role];
  const expected = `Expected an active person of this workspace, e.g. \`/incident ${role} @alice\` (pick them from Slack's suggestions).`;
  if (userId === botUserId) {
    return refuse('not_a_person', `I am Firewatch, a bot, so I cannot be ${label}. ${expected}`);
  }
  if (userId === SLACKBOT || standing === 'bot') {
    return refuse('not_a_person', `<@${userId}> is a bot, so it cannot be ${label}. ${expected}`);
  }
  if (standing === 'not_found') {
    return refuse(
      'not_a_person',
      `\`${userId}\` is not a user of this workspace (Slack knows no such user), so they cannot be ${label}. ${expected}`,
    );
  }
  if (standing === 'deactivated') {
    return refuse(
      'not_a_person',
      `<@${userId}> has been deactivated in this workspace, so they cannot be ${label}. ${expected}`,
    );
  }
  return null;
}
