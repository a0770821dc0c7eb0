/**
 * The small contract the message layer talks to: post a message, listen for messages.
 * The same code then serves a `Worker`, a `MessagePort` or `parentPort`, and any
 * DOM-style endpoint (Comlink's `Endpoint`, a test's `MessageChannel` port).
 */

/** A message channel end, as the runtime uses it. */
export interface Port {
  post(message: unknown, transfer?: readonly unknown[]): void;
  /** Calls `listener` with each message's data; returns the way to stop listening. */
  listen(listener: (data: unknown) => void): () => void;
}


/** A Node message port or Worker (`on`/`off` with the data itself). */
export interface NodeMessageEndpoint {
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  start?: () => void;
}

/**
 * A DOM-style endpoint (`addEventListener` with `{ data }` events): the shape of Comlink's
 * `Endpoint` (its listeners are the DOM's, hence `any`), written here so that worker-otp's
 * types do not need Comlink installed.
 */
export interface EventEndpoint {
  postMessage(message: any, transfer?: readonly any[]): void;
  addEventListener(type: string, listener: any, options?: object): void;
  removeEventListener(type: string, listener: any, options?: object): void;
  start?: () => void;
}

export function isNodeEndpoint(endpoint: NodeMessageEndpoint | EventEndpoint): endpoint is NodeMessageEndpoint {
  return typeof (endpoint as NodeMessageEndpoint).on === 'function' && typeof (endpoint as NodeMessageEndpoint).off === 'function';
}

/** The port of any endpoint. A transfer list is passed only when it has something in it. */
export function portOf(endpoint: NodeMessageEndpoint | EventEndpoint): Port {
  const post = (message: unknown, transfer?: readonly unknown[]) => {
    if (transfer && transfer.length > 0) endpoint.postMessage(message, transfer);
    else endpoint.postMessage(message);
  };
  if (isNodeEndpoint(endpoint)) {
    return {
      post,
      listen(listener) {
        endpoint.on('message', listener);
        return () => endpoint.off('message', listener);
      },
    };
  }
  return {
    post,
    listen(listener) {
      const onEvent = (event: { data: unknown }) => listener(event.data);
      endpoint.addEventListener('message', onEvent);
      return () => endpoint.removeEventListener('message', onEvent);
    },
  };
}
