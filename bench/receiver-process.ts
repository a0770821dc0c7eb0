/**
 * A loopback OTLP receiver in a process of its own, so decoding the exported spans does
 * not compete with the code being measured. Talks to its parent over IPC.
 */
import { OtlpReceiver } from '../tests/support/otlp-receiver';

void OtlpReceiver.start().then((receiver) => {
  process.send!({ type: 'url', url: receiver.url });
  process.on('message', (message: { type: string; name?: string }) => {
    if (message.type === 'count') {
      const count = message.name ? receiver.named(message.name).length : receiver.spans.length;
      process.send!({ type: 'count', count });
    } else if (message.type === 'close') {
      void receiver.close().then(() => process.exit(0));
    }
  });
});
