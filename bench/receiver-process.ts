/**
 * A loopback OTLP receiver in a process of its own, so decoding the exported spans does
 * not compete with the code being measured. Talks to its parent over IPC.
 */
import { OtlpReceiver, type ReceiverBehaviour } from '../tests/support/otlp-receiver';

// The behaviour (a slow or failing collector) comes as JSON in the first argument.
const behaviour = JSON.parse(process.argv[2] ?? '{}') as ReceiverBehaviour;

void OtlpReceiver.start(behaviour).then((receiver) => {
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
