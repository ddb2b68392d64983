/**
 * Types for the parts of `bpmn-moddle` 10 Preflight uses. The package ships element types
 * (`bpmn-moddle/types`) but none for its entry point, so the class is declared here; elements are
 * read through the narrow structural types of `model.ts`.
 */
declare module 'bpmn-moddle' {
  /** One of the tolerant reader's warnings (lax mode): unresolved references, unknown elements. */
  export interface ModdleWarning {
    message: string;
    element?: unknown;
    property?: string;
    value?: unknown;
  }
  export interface ModdleParseResult {
    rootElement: unknown;
    warnings: ModdleWarning[];
    elementsById: Record<string, unknown>;
    references: unknown[];
  }
  /** A parse failure: the reader's error, with the warnings collected before it. */
  export interface ModdleParseError extends Error {
    warnings?: ModdleWarning[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, options?: Record<string, unknown>): Promise<ModdleParseResult>;
    toXML(element: unknown, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
    // biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamic; model.ts narrows them
    create(type: string, attrs?: Record<string, unknown>): any;
    /** an element of a namespace moddle has no descriptor for (another tool's extension) */
    // biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamic
    createAny(name: string, nsUri: string, properties?: Record<string, unknown>): any;
  }
}
