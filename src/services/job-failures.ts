import type { StoredJob } from '../storage';
import type { BackgroundTasks } from './background-tasks';
import type { JobFailureListener } from './outbox';
import type { Responder } from './slack-gateway';

export interface JobFailureDeps {
  tasks: BackgroundTasks;
  /** A responder over a response_url kept in a job (implemented in src/slack/responder.ts). */
  responderAt: (responseUrl: string) => Responder;
  /** Where compiled postmortems are written, so the notice can say where to find the document. */
  postmortemDir: string;
  /** A warning line: a fixed message and its fields (`incident` when the job belongs to one). */
  log: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * What to tell the person who closed an incident when Slack does not take the postmortem: once on
 * the first failure and once if Firewatch gives up (for the file upload, only when it gives up).
 * Null when the job names nobody to tell, or the person was told already.
 */
export function jobFailureNotice(
  job: StoredJob,
  reason: string,
  willRetry: boolean,
  postmortemDir: string,
): { responseUrl: string; text: string } | null {
  const payload = job.job;
  const responseUrl =
    'notify' in payload ? payload.notify : payload.type === 'publish_postmortem' ? payload.responseUrl : null;
  const upload = payload.type === 'upload_postmortem';
  if (!responseUrl || (willRetry && (job.attempts > 0 || upload))) return null;
  const where = job.incidentId
    ? ` It is stored, and written to \`${postmortemDir}/${job.incidentId}.md\`.`
    : '';
  const what = upload ? 'the Markdown file of the postmortem' : 'the postmortem';
  const text = willRetry
    ? `:hourglass: Slack did not take the postmortem of ${job.incidentId} yet (${reason}).${where} Firewatch keeps trying and will post it as soon as Slack answers.`
    : `:x: Slack refused ${what} of ${job.incidentId} (${reason}).${where} Post it by hand, or run \`/incident close\` again after \`/incident reopen\`.`;
  return { responseUrl, text };
}

/**
 * The outbox's failure listener: logs every failed attempt and, in the background, tells the
 * closer through the job's response_url (see {@link jobFailureNotice}). A response_url lives 30
 * minutes; past that (or while Slack is down) the log is all there is.
 */
export function reportJobFailures(deps: JobFailureDeps): JobFailureListener {
  return (job, error, willRetry) => {
    const reason = error instanceof Error ? error.message : String(error);
    deps.log(willRetry ? 'outbox job failed, will retry' : 'outbox job failed for good', {
      ...(job.incidentId ? { incident: job.incidentId } : {}),
      job: job.id,
      jobType: job.job.type,
      attempt: job.attempts + 1,
      reason,
    });
    const notice = jobFailureNotice(job, reason, willRetry, deps.postmortemDir);
    if (!notice) return;
    deps.tasks.run('tell about a failed job', () =>
      deps.responderAt(notice.responseUrl).ephemeral(notice.text),
    );
  };
}

/**
 * Tells the closer, in the background, that the Markdown file of a postmortem could not be written
 * (the document is stored and goes to Slack all the same), and logs it. For
 * `PostmortemDeps.onFileError`.
 */
export function reportFileFailures(
  deps: JobFailureDeps,
): (incidentId: string, file: string, reason: string, responseUrl: string | null) => void {
  return (incidentId, file, reason, responseUrl) => {
    deps.log('postmortem file not written', { incident: incidentId, file, reason });
    if (!responseUrl) return;
    const text = `:warning: The postmortem of ${incidentId} could not be written to \`${file}\` (${reason}). It is stored in the database and posted here all the same; \`npm run postmortem -- ${incidentId}\` prints it.`;
    deps.tasks.run('tell about a postmortem file', () => deps.responderAt(responseUrl).ephemeral(text));
  };
}
