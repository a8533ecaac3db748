import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchRoute } from './graph/graph-route.rules';
import { metaError } from './graph/meta-error.rules';
import { sendJson } from './http/http.io';
import { MediaHandler } from './media/media.handler';
import { ScriptingHandler } from './scripting/scripting.handler';
import { SendHandler } from './send/send.handler';
import { resolveSimulatorOptions } from './simulator.defaults';
import type { RunningSimulator, SimulatorOptions } from './simulator.options';
import { SimulatorState } from './state/simulator.state';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher';

function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') {
    return '127.0.0.1';
  }
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a WhatsApp Cloud API stand-in: the Graph endpoints a platform calls (send, media), Meta's signed webhooks
 * back to each app, and `/_sim/*` endpoints to script users and faults. Resolves once it listens.
 */
export async function startCloudApiSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const config = resolveSimulatorOptions(options);
  const state = new SimulatorState(config);
  const lifetime = new AbortController();
  const webhooks = new WebhookDispatcher({
    stats: () => state.stats,
    log: config.log,
    retryDelaysMs: config.webhookRetryDelaysMs,
  });
  let url = '';
  const sends = new SendHandler(state, webhooks, lifetime.signal);
  const media = new MediaHandler(state, () => url);
  const scripting = new ScriptingHandler(state, webhooks);

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://simulator.invalid').pathname;
    const target = matchRoute(method, path);
    switch (target.kind) {
      case 'send':
        return sends.handle(request, response, target.phoneNumberId);
      case 'media-upload':
        return media.upload(request, response, target.phoneNumberId);
      case 'media-info':
        return media.info(request, response, target.mediaId);
      case 'media-delete':
        return media.delete(request, response, target.mediaId);
      case 'media-download':
        return media.download(request, response, target.mediaId);
      case 'graph-unknown': {
        request.resume();
        const error = metaError(100, { details: 'Unsupported request: the simulator does not serve this Graph path' });
        return sendJson(response, error.httpStatus, error.body);
      }
      case 'sim':
        return scripting.handle(request, response, target.method, target.action);
      case 'not-found':
        request.resume();
        return sendJson(response, 404, { error: 'Not found' });
    }
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      config.log(`request failed: ${error instanceof Error ? error.name : 'error'}`);
      if (!response.headersSent && !response.destroyed) {
        const failure = metaError(131000);
        sendJson(response, failure.httpStatus, failure.body);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://${publicHost(config.host)}:${(server.address() as AddressInfo).port}`;
  config.log(`listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop(): Promise<void> {
      stopping ??= (async () => {
        lifetime.abort();
        await webhooks.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      })();
      return stopping;
    },
  };
}
