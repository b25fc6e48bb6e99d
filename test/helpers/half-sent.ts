import http from 'node:http';

/**
 * A POST of `body` to `url` whose headers and first 10 bytes are sent: accepted by the server and
 * in flight, as a slow client's request is, until `finish()` sends the rest.
 */
export function halfSentPost(url: string, body: string) {
  const target = new URL(url);
  const request = http.request({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    request.on('error', reject);
  });
  request.flushHeaders();
  request.write(body.slice(0, 10));
  return { answer, finish: () => request.end(body.slice(10)) };
}
