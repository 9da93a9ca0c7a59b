// A real SMTP server (npm smtp-server) for the tests: accepts every message without
// authentication or TLS and appends it, as one JSON line, to $SMTP_SINK_FILE.
import { SMTPServer } from 'smtp-server';
import { appendFileSync } from 'node:fs';

const port = Number(process.env.SMTP_PORT ?? 2525);
const file = process.env.SMTP_SINK_FILE ?? 'smtp-sink.jsonl';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      appendFileSync(
        file,
        JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        }) + '\n',
      );
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`smtp sink on ${port}`));
