// A real SMTP server (npm smtp-server) for the tests: accepts every message without
// authentication or TLS and appends it, as one JSON line, to $SMTP_SINK_FILE: the raw
// message, and its subject and text as a mail reader decodes them (npm mailparser).
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
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
    stream.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const parsed = await simpleParser(raw).catch(() => null);
      appendFileSync(
        file,
        JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          data: raw.toString('utf8'),
          subject: parsed?.subject ?? null,
          text: parsed?.text ?? null,
        }) + '\n',
      );
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`smtp sink on ${port}`));
