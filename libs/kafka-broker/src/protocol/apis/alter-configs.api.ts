import { validateTopicConfig } from '../../log/topic-config';
import { ApiHandler } from '../api';
import { ApiKey } from '../api-keys';
import { ErrorCode } from '../error-codes';
import { Writer } from '../writer';
import { ResourceType } from './describe-configs.api';

/** AlterConfigs (non-incremental): a topic's explicit configs become exactly the ones sent. */
export const alterConfigsApi: ApiHandler = {
  key: ApiKey.AlterConfigs,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  handle(r, ctx) {
    const { core } = ctx;
    const resources = r.array((x) => ({
      type: x.int8(),
      name: x.string(),
      configs: x.array((y) => ({ name: y.string(), value: y.nullableString() })),
    }));
    const validateOnly = r.bool();
    const results = resources.map((res) => {
      const fail = (errorCode: number, message: string) => ({ ...res, errorCode, message });
      if (res.type !== ResourceType.TOPIC) return fail(ErrorCode.INVALID_REQUEST, 'Only topic configs can be altered on this broker');
      if (!core.logs.get(res.name)) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${res.name}' does not exist.`);
      const configs: Record<string, string> = {};
      for (const c of res.configs) {
        const problem = validateTopicConfig(c.name, c.value);
        if (problem) return fail(ErrorCode.INVALID_CONFIG, problem);
        if (c.value !== null) configs[c.name] = c.value;
      }
      if (!validateOnly) core.logs.setConfigs(res.name, configs);
      return { ...res, errorCode: ErrorCode.NONE, message: null as string | null };
    });
    const w = new Writer().int32(0);
    w.array(results, (x, res) => x.int16(res.errorCode).nullableString(res.message).int8(res.type).string(res.name));
    return w;
  },
};
