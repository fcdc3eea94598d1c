import { plainRequest, type PlainRequest } from '../plain-http.ts';

/** What node-zendesk reads of an answer (its `responseAdapter` contract). */
export interface ZendeskAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

/**
 * node-zendesk's transport on node:http (src/integrations/plain-http.ts). node-zendesk's own has no
 * timeout at all.
 */
export function zendeskTransport(timeoutMs: number) {
  return {
    transportFn: async (uri: string, o: PlainRequest): Promise<ZendeskAnswer> => {
      const answer = await plainRequest(uri, o, timeoutMs);
      return { status: answer.status, statusText: answer.statusText, headers: answer.headers, json: async () => JSON.parse(answer.text) };
    },
    responseAdapter: (answer: ZendeskAnswer) => answer,
  };
}
