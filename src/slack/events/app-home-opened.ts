import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BackgroundTasks } from '../../services/background-tasks';
import type { HomeService } from '../../services/home-service';

/**
 * `app_home_opened`: the person opened Firewatch's Home (or Messages) tab. The Home is drawn and
 * published in the background, so the event is acknowledged at once; opening it again (or Slack's
 * retry) publishes it again, which only replaces it.
 */
export function appHomeOpened(home: HomeService, tasks: BackgroundTasks) {
  return async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const user = event.user;
    tasks.run('publish the App Home', () => home.publish(user));
  };
}
