import { ApiHandler } from '../api';
import { alterConfigsApi } from './alter-configs.api';
import { apiVersionsApi } from './api-versions.api';
import { createPartitionsApi } from './create-partitions.api';
import { createTopicsApi } from './create-topics.api';
import { deleteGroupsApi } from './delete-groups.api';
import { deleteRecordsApi } from './delete-records.api';
import { deleteTopicsApi } from './delete-topics.api';
import { describeConfigsApi } from './describe-configs.api';
import { describeGroupsApi } from './describe-groups.api';
import { fetchApi } from './fetch.api';
import { findCoordinatorApi } from './find-coordinator.api';
import { heartbeatApi } from './heartbeat.api';
import { initProducerIdApi } from './init-producer-id.api';
import { joinGroupApi } from './join-group.api';
import { leaveGroupApi } from './leave-group.api';
import { listGroupsApi } from './list-groups.api';
import { listOffsetsApi } from './list-offsets.api';
import { metadataApi } from './metadata.api';
import { offsetCommitApi } from './offset-commit.api';
import { offsetFetchApi } from './offset-fetch.api';
import { produceApi } from './produce.api';
import { syncGroupApi } from './sync-group.api';

/** Every API this broker answers, in key order (the order ApiVersions lists them). */
export const API_HANDLERS: readonly ApiHandler[] = [
  produceApi,
  fetchApi,
  listOffsetsApi,
  metadataApi,
  offsetCommitApi,
  offsetFetchApi,
  findCoordinatorApi,
  joinGroupApi,
  heartbeatApi,
  leaveGroupApi,
  syncGroupApi,
  describeGroupsApi,
  listGroupsApi,
  apiVersionsApi,
  createTopicsApi,
  deleteTopicsApi,
  deleteRecordsApi,
  initProducerIdApi,
  createPartitionsApi,
  deleteGroupsApi,
  describeConfigsApi,
  alterConfigsApi,
].slice().sort((a, b) => a.key - b.key);
