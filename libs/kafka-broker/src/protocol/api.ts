import type { BrokerCore } from '../broker-core';
import { Reader } from './reader';
import { Writer } from './writer';

/** What a handler knows about the request it is answering. */
export interface RequestContext {
  core: BrokerCore;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  clientHost: string;
  /** Registers cleanup to run if the connection closes before the answer is sent. */
  onClose(fn: () => void): () => void;
}

/**
 * One API key: decodes the request body at any version in [minVersion, maxVersion] and encodes
 * the response body at the same version. Returning null means "send no response" (acks=0).
 */
export interface ApiHandler {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(r: Reader, ctx: RequestContext): Writer | null | Promise<Writer | null>;
}
