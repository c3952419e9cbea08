import { Client, Connection } from '@temporalio/client';

/** One lazily created Temporal client per API process; a failed connect is retried on the next call. */
export function temporalClientFactory(
  address: string,
  namespace = 'default',
): { get: () => Promise<Client>; close: () => Promise<void> } {
  let pending: Promise<Client> | undefined;
  return {
    get() {
      pending ??= Connection.connect({
        address,
        connectTimeout: 2000,
        // after an outage the API sees Temporal again within seconds: gRPC's reconnect backoff grows to 120 s by
        // default, which kept answering 503 for 20 s after a 65 s restart of the dev server (the temporal-restart drill)
        channelArgs: { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 3000 },
      }).then(
        (connection) => new Client({ connection, namespace }),
        (e) => {
          pending = undefined;
          throw e;
        },
      );
      return pending;
    },
    async close() {
      const c = await pending?.catch(() => undefined);
      await c?.connection.close();
    },
  };
}
