import { Client, Connection } from '@temporalio/client';

/** One lazily created Temporal client per API process; a failed connect is retried on the next call. */
export function temporalClientFactory(
  address: string,
  namespace = 'default',
): { get: () => Promise<Client>; close: () => Promise<void> } {
  let pending: Promise<Client> | undefined;
  return {
    get() {
      pending ??= Connection.connect({ address, connectTimeout: 2000 }).then(
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
