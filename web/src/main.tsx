import { render } from 'preact';
import { App } from './app';
import { followSessionWithLiveStream } from './live/notification-stream';
import { keepAccessTokenFresh } from './session/proactive-refresh';
import { resumeSession } from './session/session-lifecycle';

keepAccessTokenFresh();
followSessionWithLiveStream();
void resumeSession();

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
