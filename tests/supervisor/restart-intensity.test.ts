/** OTP's restart intensity: at most maxRestarts restarts within any window of maxSeconds. */
import { RestartIntensity } from '../../dist/supervisor/restart-intensity';

it('allows maxRestarts restarts within the window and refuses the next', () => {
  const intensity = new RestartIntensity(3, 5);
  expect([0, 1000, 2000].map((at) => intensity.allow(at))).toEqual([true, true, true]);
  expect(intensity.allow(3000)).toBe(false);
  expect(intensity.recent).toBe(4);
});

it('forgets restarts older than maxSeconds: a slow trickle never gives up', () => {
  const intensity = new RestartIntensity(1, 5);
  for (let at = 0; at < 60_000; at += 5001) expect(intensity.allow(at)).toBe(true);
});

it('counts a restart exactly maxSeconds old as outside the window', () => {
  const intensity = new RestartIntensity(1, 5);
  expect(intensity.allow(0)).toBe(true);
  expect(intensity.allow(5000)).toBe(true);
  expect(intensity.allow(9999)).toBe(false);
});

it('with maxRestarts 0 refuses the first restart', () => {
  expect(new RestartIntensity(0, 5).allow(0)).toBe(false);
});
