import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed search attributes for administrators' filters in the Temporal UI (ids and phase only, no PII). */
export const SA = {
  PlanYear: defineSearchAttributeKey('PlanYear', SearchAttributeType.INT),
  UnitId: defineSearchAttributeKey('UnitId', SearchAttributeType.KEYWORD),
  Province: defineSearchAttributeKey('Province', SearchAttributeType.KEYWORD),
  Phase: defineSearchAttributeKey('Phase', SearchAttributeType.KEYWORD),
  OverdueLevel: defineSearchAttributeKey('OverdueLevel', SearchAttributeType.INT),
  NextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
} as const;

const CLI_TYPE: Record<string, string> = {
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

/** `--search-attribute Name=Type` flags registering every attribute on a dev server. */
export function searchAttributeFlags(): string[] {
  return Object.values(SA).flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE[k.type]}`]);
}
