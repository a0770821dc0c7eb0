/**
 * A loopback OTLP receiver in a process of its own, so decoding the exported spans does
 * not compete with the code being measured. Talks to its parent over IPC.
 */
import { OtlpReceiver, type ReceiverBehaviour } from '../tests/support/otlp-receiver';

// The behaviour (a slow or failing collector) comes as JSON in the first argument. Spans
// are only counted: a collector would run elsewhere, not on the cores being measured.
const behaviour: ReceiverBehaviour = { ...(JSON.parse(process.argv[2] ?? '{}') as ReceiverBehaviour), tallyOnly: true };

void OtlpReceiver.start(behaviour).then((receiver) => {
  process.send!({ type: 'url', url: receiver.url });
  process.on('message', (message: { type: string; name?: string }) => {
    if (message.type === 'count') {
      process.send!({ type: 'count', count: receiver.count(message.name) });
    } else if (message.type === 'close') {
      void receiver.close().then(() => process.exit(0));
    }
  });
});
