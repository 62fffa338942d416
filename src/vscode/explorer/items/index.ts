// How each kind of explorer node looks as a TreeItem: one file per kind, chosen here.
import type * as vscode from 'vscode';
import type { ConnectionState } from '../../../nats/connection/manager';
import type { ExplorerNode } from '../nodes';
import { connectionItem } from './connectionItem';
import { consumerItem } from './consumerItem';
import { detailItem } from './detailItem';
import { eventTypeItem } from './eventTypeItem';
import { eventTypesItem } from './eventTypesItem';
import { groupItem } from './groupItem';
import { objectItem, objStoreItem } from './objectItems';
import { kvBucketItem, kvKeyItem, kvMoreItem } from './kvItems';
import { errorItem, noteItem } from './messageRows';
import { serverItem } from './serverItem';
import { streamItem } from './streamItem';

/** What a row's look depends on beyond its node. */
export interface ItemContext {
  state(entryId: string): ConnectionState;
  activeId(): string | undefined;
  readOnly(node: ExplorerNode): boolean;
  /** Whether a stream row opens (it has consumers or event types). */
  streamHasChildren(node: Extract<ExplorerNode, { kind: 'stream' }>): boolean;
}

export function treeItem(node: ExplorerNode, ctx: ItemContext): vscode.TreeItem {
  switch (node.kind) {
    case 'connection': return connectionItem(node.entry, ctx.state(node.entry.id), ctx.activeId() === node.entry.id);
    case 'server': return serverItem(node);
    case 'detail': return detailItem(node);
    case 'group': return groupItem(node);
    case 'stream': return streamItem(node, ctx.readOnly(node), ctx.streamHasChildren(node));
    case 'eventTypes': return eventTypesItem(node);
    case 'eventType': return eventTypeItem(node);
    case 'consumer': return consumerItem(node, ctx.readOnly(node));
    case 'objStore': return objStoreItem(node, ctx.readOnly(node));
    case 'object': return objectItem(node, ctx.readOnly(node));
    case 'kvBucket': return kvBucketItem(node, ctx.readOnly(node));
    case 'kvKey': return kvKeyItem(node, ctx.readOnly(node));
    case 'kvMore': return kvMoreItem(node);
    case 'error': return errorItem(node);
    case 'note': return noteItem(node);
  }
}
