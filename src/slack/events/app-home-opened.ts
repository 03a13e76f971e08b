import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { HomeService } from '../../services/home-service';

/**
 * `app_home_opened`: the person opened Firewatch's Home (or Messages) tab. The Home is drawn and
 * published in the background, so the event is acknowledged at once; opening it again (or Slack's
 * retry) publishes it again, which only replaces it. A publish Slack refuses is logged as a warning.
 */
export function appHomeOpened(home: HomeService, tasks: BackgroundTasks) {
  return async ({ event, logger }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const user = event.user;
    // Slack failing here loses nothing: the Home is drawn afresh the next time it is opened.
    tasks.run('publish the App Home', () =>
      home.publish(user).catch((error: unknown) =>
        logger.warn('App Home not published', {
          user,
          reason: error instanceof Error ? error.message : String(error),
        }),
      ),
    );
  };
}
