/**
 * The FHIR R4 validator core: one resource (with everything nested in it) through the switchable
 * layers — structure (the generated ajv validator of its type), then one typed walk for
 * cardinality, values, extensions, bindings and references, then Bundle rules and invariants.
 *
 * Synchronous on purpose (hundreds of thousands of resources per second in a worker): the
 * structure modules are loaded ahead. A resource whose type is not loaded yet throws
 * {@link MissingStructureError}; {@link createFhirSession} catches it, loads and retries.
 */
import type { IssueSeverity } from '../../formats/report.ts';
import { checkBundle, reportConditionalReference } from './bundle.ts';
import { type HeldCodes, MissingUnitsError, type UnitChecker } from './codings.ts';
import type { FhirDigest } from './digest.ts';
import {
  createInvariantChecker,
  type FhirPathEngine,
  type InvariantChecker,
  MissingFhirPathError,
} from './invariants.ts';
import {
  type AnswerJudge,
  bundledQuestionnaires,
  checkQuestionnaireResponse,
  questionnaireFor,
  reportQuestionnaireNotAtHand,
} from './questionnaireResponse.ts';
import {
  checkCapabilityStatement,
  checkSearchParameter,
  type SearchParameterLookup,
  searchParameterLookup,
} from './searchParameters.ts';
import { conversionThrough, type UnitConversion } from './unitConversion.ts';

export type { InvariantChecker } from './invariants.ts';

import { checkDifferentialPaths } from './differentialPaths.ts';
import { checkDiscriminatorPaths } from './discriminatorPaths.ts';
import { type CodingsNotChecked, type FhirIssue, IssueSink } from './issues.ts';
import { checkMeasureReport, measureFor, reportMeasureNotAtHand } from './measureReport.ts';
import { unresolvedNarrativeLinks } from './narrativeLinks.ts';
import { nestsDeeperThan, tooDeepIssue, tooDeepLocation } from './nesting.ts';
import { DOM_3_TEXT, orphanContained } from './orphanContained.ts';
import { FHIR_LAYERS, type FhirLayer } from './rules.ts';
import { reportStructureErrors, type StructureValidator } from './structure.ts';
import { type InvariantNode, newScope, type ResourceScope, type WalkHost, walkResource } from './walk.ts';

/** What a validator needs, loaded. */
export interface FhirValidatorEnv {
  digest: FhirDigest;
  /** the structure validator of a resource type, or undefined when it is not loaded (yet) */
  structure(resourceType: string): StructureValidator | undefined;
  invariants?: InvariantChecker;
  /**
   * The UCUM unit checker once loaded (undefined before: a resource with a UCUM unit then throws
   * {@link MissingUnitsError}); absent when none can be loaded, and UCUM units are said not checked.
   */
  units?: () => UnitChecker | undefined;
}

/** How an extension the specification does not define is reported (see {@link FhirValidatorOptions}). */
export type UnknownExtensionSeverity = 'error' | 'warning';

/** Which layers run (all by default), and severities the user may lower. */
export interface FhirValidatorOptions {
  layers?: Iterable<FhirLayer>;
  /**
   * Severity of `fhir-unknown-extension`. Default `'error'`, as the HL7 Java validator reports
   * it (the 58-case agreement suite runs with the default). Real exports carry national and
   * vendor extensions (US Core, …) whose definitions Preflight does not load; `'warning'` keeps
   * them visible without making every such resource invalid.
   */
  unknownExtensions?: UnknownExtensionSeverity;
  /**
   * Whether an extension at an example domain (example.org, acme.com, …) is accepted
   * unjudged. Default `false`, as the HL7 Java validator's `-allow-example-urls false`: nobody
   * defines it, and an example URL in real data is a left-over, never a definition a target can
   * load, so it is an unknown extension (a modifier one an error whatever `unknownExtensions` says).
   */
  allowExampleUrls?: boolean;
  /**
   * The Questionnaires of the run's other files by canonical URL (`url` or `url|version`, as
   * `canonicalsIn` gathers them): a QuestionnaireResponse whose Questionnaire is neither contained
   * nor in its Bundle is checked against one of them, else against a loaded package's.
   */
  questionnaires?: ReadonlyMap<string, Record<string, unknown>>;
  /**
   * The Measures of the run's other files by canonical URL (`url` or `url|version`, as
   * `canonicalsIn` gathers them): a MeasureReport whose Measure is not contained is checked against
   * one of them, else against a loaded package's. Given (even empty) when the run's files were
   * searched, so a report whose Measure is not found says so.
   */
  measures?: ReadonlyMap<string, Record<string, unknown>>;
  /**
   * Profiles of loaded implementation guide packages, applied after the base layers to each
   * top-level resource (src/core/fhirProfiles: `createProfileChecker`); extensions they define
   * are not reported as unknown.
   */
  profiles?: ProfileHook | ProfileHookFactory;
}

/**
 * Makes the profile hook once the digest is loaded; `fhirPath` gives the engine once it is, `units`
 * the UCUM unit checker once it is (undefined before: {@link MissingUnitsError} loads it).
 */
export type ProfileHookFactory = (
  digest: FhirDigest,
  fhirPath?: () => FhirPathEngine | undefined,
  units?: () => UnitChecker | undefined,
) => ProfileHook;

/** What the validator asks of profile checking (src/core/fhirProfiles implements it). */
export interface ProfileHook {
  check(resource: Record<string, unknown>, location: string, sink: IssueSink): void;
  extensionDefined(url: string): boolean;
  /** whether a loaded package defines the profile `url` (a claim of it is then checked, not noted) */
  hasProfile(url: string): boolean;
  /**
   * Whether `url` lies under the canonical base of a loaded package (or the specification's own
   * StructureDefinition base): a claim there that no package defines is a mistyped URL, not a
   * profile of a guide that is not loaded.
   */
  ownsCanonical?(url: string): boolean;
  /** the loaded packages as `name#version`, named where an extension is not defined by any of them */
  readonly packages?: readonly string[];
  /** the code systems the loaded packages ship whole, for the display check of every coding */
  readonly heldCodes?: HeldCodes;
  /** a loaded package's Questionnaire by canonical URL (`url` or `url|version`), for the responses naming it */
  questionnaire?(canonical: string): Record<string, unknown> | undefined;
  /** whether a coded answer is in an item's value set, by the terminology engine (undefined: cannot tell) */
  answerInValueSet?: AnswerJudge;
  /** a loaded package's Measure by canonical URL (`url` or `url|version`), for the reports naming it */
  measure?(canonical: string): Record<string, unknown> | undefined;
}

/** The severities that replace the rules' own under `options` (undefined when none does). */
function severityOverrides(options: FhirValidatorOptions): ReadonlyMap<string, IssueSeverity> | undefined {
  if (options.unknownExtensions === 'warning') return new Map([['fhir-unknown-extension', 'warning']]);
  return undefined;
}

/** Thrown when a resource needs a structure module that is not loaded. */
export class MissingStructureError extends Error {
  override name = 'MissingStructureError';
  constructor(readonly resourceType: string) {
    super(`the structure validator of ${resourceType} is not loaded`);
  }
}

/** The outcome for one top-level resource. */
export interface ResourceResult {
  issues: FhirIssue[];
  /** the resource's type and id when it has them (for export-wide reference resolution) */
  resourceType?: string;
  id?: string;
  /** its references that are not local (`#id`), for export-wide resolution */
  references: ResourceScope['references'];
  /** per code system, its codings whose code and display were not checked (absent: none) */
  codingsNotChecked?: ReadonlyMap<string, CodingsNotChecked>;
}

/** A synchronous validator over loaded modules. */
export interface FhirValidator {
  readonly layers: ReadonlySet<FhirLayer>;
  /** the digest it validates with (a run reads what its invariants leave unchecked) */
  readonly digest: FhirDigest;
  /** the severity of `fhir-unknown-extension` it gives ({@link FhirValidatorOptions.unknownExtensions}) */
  readonly unknownExtensions: UnknownExtensionSeverity;
  /** whether extensions at example domains are accepted ({@link FhirValidatorOptions.allowExampleUrls}) */
  readonly allowExampleUrls: boolean;
  /** Validates one parsed resource; `location` defaults to its resourceType. */
  validate(resource: unknown, location?: string): ResourceResult;
}

const WALK_LAYERS: readonly FhirLayer[] = [
  'cardinality',
  'values',
  'extensions',
  'invariants',
  'bindings',
  'references',
];

/** What every validation of one validator shares. */
interface ValidatorConfig {
  env: FhirValidatorEnv;
  layers: ReadonlySet<FhirLayer>;
  resourceTypes: ReadonlySet<string>;
  walks: boolean;
  invariants: InvariantChecker | undefined;
  /** resource types whose own elements hold resources (Bundle, Parameters) */
  holdsResources: ReadonlySet<string>;
  profiles: ProfileHook | undefined;
  allowExampleUrls: boolean;
  questionnaires: ReadonlyMap<string, Record<string, unknown>> | undefined;
  measures: ReadonlyMap<string, Record<string, unknown>> | undefined;
  searchParameters: SearchParameterLookup;
}

const NOT_A_RESOURCE = 'Expected a FHIR resource: a JSON object with a resourceType';

/**
 * The validation of one top-level resource and everything nested in it. A class rather than
 * closures: it is made once per resource, and the walk calls back into it for nested resources.
 */
class ResourceCheck implements WalkHost {
  readonly digest: FhirDigest;
  invariantPaths: ReadonlySet<string> | undefined;
  invariantNodes: InvariantNode[] | undefined;
  readonly extensionDefined: ((url: string) => boolean) | undefined;
  readonly allowExampleUrls: boolean;
  readonly extensionPackages: readonly string[] | undefined;
  readonly heldCodes: HeldCodes | undefined;
  readonly units: (() => UnitChecker | undefined) | undefined;
  /** scopes of the resources that are not contained (Bundle entries), for Bundle resolution */
  private readonly scopes = new Map<object, ResourceScope>();

  constructor(
    private readonly config: ValidatorConfig,
    readonly sink: IssueSink,
  ) {
    this.digest = config.env.digest;
    this.extensionDefined = config.profiles?.extensionDefined;
    this.allowExampleUrls = config.allowExampleUrls;
    this.extensionPackages = config.profiles?.packages;
    this.heldCodes = config.profiles?.heldCodes;
    this.units = config.env.units;
  }

  /** How many Bundles the walk is inside: their QuestionnaireResponses are checked with the Bundle's Questionnaires. */
  private bundles = 0;

  /** The QuestionnaireResponses of a Bundle's entries, against the Bundle's Questionnaires. */
  private checkResponses(bundle: Record<string, unknown>, at: string): void {
    if (!Array.isArray(bundle.entry)) return;
    const questionnaires = bundledQuestionnaires(bundle);
    bundle.entry.forEach((entry: unknown, i) => {
      const r =
        typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).resource : undefined;
      if (
        typeof r === 'object' &&
        r !== null &&
        (r as Record<string, unknown>).resourceType === 'QuestionnaireResponse'
      )
        this.checkResponse(r as Record<string, unknown>, `${at}.entry[${i}].resource`, questionnaires);
    });
  }

  /** A QuestionnaireResponse against its Questionnaire when at hand, else said not checked. */
  private checkResponse(
    response: Record<string, unknown>,
    at: string,
    bundled: ReadonlyMap<string, Record<string, unknown>>,
  ): void {
    const { profiles, questionnaires } = this.config;
    const questionnaire = questionnaireFor(
      response,
      bundled,
      (canonical) =>
        questionnaires?.get(canonical) ??
        questionnaires?.get(canonical.split('|')[0] as string) ??
        profiles?.questionnaire?.(canonical),
    );
    if (questionnaire)
      checkQuestionnaireResponse(
        response,
        questionnaire,
        at,
        this.sink,
        profiles?.answerInValueSet,
        this.convertUnits,
      );
    else reportQuestionnaireNotAtHand(response, at, this.sink);
  }

  /** UCUM conversion through the unit checker's chunk, loaded first when it is not yet. */
  private get convertUnits(): UnitConversion | undefined {
    return this.units ? conversionThrough(this.units) : undefined;
  }

  nested(resource: unknown, location: string, scope: ResourceScope | undefined): ResourceScope | undefined {
    return this.check(resource, location, scope);
  }

  check(node: unknown, at: string, parentScope: ResourceScope | undefined): ResourceScope | undefined {
    const { config, sink } = this;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      sink.report('fhir-json-not-resource', at, NOT_A_RESOURCE);
      return undefined;
    }
    const resource = node as Record<string, unknown>;
    const type = resource.resourceType;
    if (typeof type !== 'string') {
      sink.report('fhir-json-not-resource', at, NOT_A_RESOURCE);
      return undefined;
    }
    if (!config.resourceTypes.has(type)) {
      sink.report(
        'fhir-unknown-resource-type',
        `${at}.resourceType`,
        'Expected the name of a FHIR R4 resource type (such as Patient or Observation), spelled exactly',
        type,
      );
      return undefined;
    }
    if (config.layers.has('structure')) {
      const structure = config.env.structure(type);
      if (!structure) throw new MissingStructureError(type);
      if (!structure(resource)) {
        reportStructureErrors(structure.errors ?? [], resource, type, at, this.digest, sink);
      }
    }
    reportProfileClaims(resource, at, sink, config.profiles);
    const scope = parentScope ?? newScope();
    const nodes: InvariantNode[] = [];
    if (config.walks || resource.contained !== undefined || config.holdsResources.has(type)) {
      // nested resources are checked during this walk: keep and restore the outer collector
      const outerPaths = this.invariantPaths;
      const outerNodes = this.invariantNodes;
      this.invariantPaths = config.invariants?.paths(type);
      this.invariantNodes = nodes;
      if (type === 'Bundle') this.bundles++;
      walkResource(this, resource, at, scope);
      if (type === 'Bundle') this.bundles--;
      this.invariantPaths = outerPaths;
      this.invariantNodes = outerNodes;
    }
    if (!parentScope) {
      this.scopes.set(resource, scope);
      if (config.layers.has('invariants'))
        for (const orphan of orphanContained(resource))
          sink.report(
            'fhir-invariant',
            `${at}.contained[${orphan.index}]`,
            `dom-3: ${DOM_3_TEXT} (nothing in the resource refers to this contained resource, and it does not refer to the resource holding it: refer to it where it is used, or remove it)`,
            `#${orphan.id}`,
          );
      // a Bundle's entries are read with the Bundle, where a link may point to another entry
      if (config.layers.has('references') && this.bundles === 0)
        for (const link of unresolvedNarrativeLinks(resource, at))
          sink.report(
            'fhir-narrative-link',
            link.location,
            'A link in the narrative points at a name (#…) that nothing in the resource defines: no element id and no anchor (an id attribute or <a name>) has it; add the anchor or correct the link',
            `#${link.fragment}`,
          );
      for (const local of scope.local) {
        const id = local.reference.slice(1);
        const containedType = scope.containedIds.get(id);
        if (id !== '' && containedType === undefined) {
          sink.report(
            'fhir-reference-local',
            `${local.location}.reference`,
            'No contained resource has the id this local reference (#id) names: add it to contained or correct the reference',
            local.reference,
          );
        } else if (local.targets && containedType !== undefined && !local.targets.includes(containedType)) {
          sink.report(
            'fhir-reference-type',
            `${local.location}.reference`,
            `Expected a reference to ${local.targets.join(', ')}`,
            local.reference,
          );
        }
      }
    }
    if (type === 'Bundle') {
      checkBundle(resource, at, this.scopes, sink);
      this.checkResponses(resource, at);
    } else if (type === 'QuestionnaireResponse' && this.bundles === 0)
      this.checkResponse(resource, at, new Map());
    else if (type === 'SearchParameter') checkSearchParameter(resource, at, sink, config.searchParameters);
    else if (type === 'CapabilityStatement')
      checkCapabilityStatement(resource, at, sink, config.searchParameters);
    else if (type === 'StructureDefinition') {
      checkDifferentialPaths(resource, at, sink, this.digest);
      if (config.layers.has('references')) checkDiscriminatorPaths(resource, at, sink, this.digest);
    } else if (type === 'MeasureReport') {
      const measure = measureFor(
        resource,
        (canonical) =>
          config.measures?.get(canonical) ??
          config.measures?.get(canonical.split('|')[0] as string) ??
          config.profiles?.measure?.(canonical),
      );
      if (measure) checkMeasureReport(resource, measure, at, sink);
      else reportMeasureNotAtHand(resource, at, sink, config.measures !== undefined);
    }
    config.invariants?.check(resource, type, at, nodes, sink);
    return scope;
  }
}

/**
 * Each profile a resource claims (`meta.profile`) that no loaded package defines, as a warning, as
 * the HL7 Java validator gives for a profile it cannot find: such a profile is not checked, and a
 * pass must not read as "conforms to US Core". A claim under the canonical base of a loaded package
 * that the package does not define is a mistyped URL, said so. One issue per claim; the run groups
 * them by URL. A claim of a profile a loaded package defines is checked by
 * the profile hook instead.
 */
function reportProfileClaims(
  resource: Record<string, unknown>,
  at: string,
  sink: IssueSink,
  hook: ProfileHook | undefined,
): void {
  const meta = resource.meta;
  if (typeof meta !== 'object' || meta === null) return;
  const claims = (meta as Record<string, unknown>).profile;
  if (!Array.isArray(claims)) return;
  claims.forEach((profile: unknown, i) => {
    if (typeof profile !== 'string' || profile === '') return;
    const url = profile.split('|')[0] ?? profile;
    if (hook?.hasProfile(url)) return;
    if (hook?.ownsCanonical?.(url)) {
      sink.report(
        'fhir-profile-claim-unknown',
        `${at}.meta.profile[${i}]`,
        `The resource claims the profile ${profile}, which no loaded package defines although its URL is under one's canonical base: check the URL for a typo; the resource is not checked against it`,
        profile,
      );
      return;
    }
    sink.report(
      'fhir-profile-claim-not-checked',
      `${at}.meta.profile[${i}]`,
      `The resource claims the profile ${profile}, which no loaded package defines, so the resource is not checked against it, only against the base FHIR R4 specification: load the implementation guide package that defines the profile to check it`,
      profile,
    );
  });
}

/** Creates a validator over `env`. */
export function createFhirValidator(
  env: FhirValidatorEnv,
  options: FhirValidatorOptions = {},
): FhirValidator {
  const layers: ReadonlySet<FhirLayer> = new Set(options.layers ?? FHIR_LAYERS);
  const severities = severityOverrides(options);
  const resourceTypes = new Set(env.digest.resourceTypes);
  const holdsResources = new Set<string>();
  for (const [name, type] of Object.entries(env.digest.types)) {
    for (const [element, digest] of Object.entries(type.elements)) {
      // with the walk layers off, only these (and resources with `contained`) are walked, to reach nested resources
      if (digest.type === 'Resource' && element !== 'contained')
        holdsResources.add(name.split('.')[0] as string);
    }
  }
  const config: ValidatorConfig = {
    env,
    layers,
    resourceTypes,
    walks: WALK_LAYERS.some((l) => layers.has(l)),
    invariants: layers.has('invariants') ? env.invariants : undefined,
    holdsResources,
    profiles:
      typeof options.profiles === 'function'
        ? options.profiles(env.digest, undefined, env.units)
        : options.profiles,
    allowExampleUrls: options.allowExampleUrls ?? false,
    questionnaires: options.questionnaires,
    measures: options.measures,
    searchParameters: searchParameterLookup(env.digest.searchParameters),
  };

  const validate = (resource: unknown, location?: string): ResourceResult => {
    const sink = new IssueSink(layers, severities);
    // an unknown resourceType is data, not a name: it never becomes part of a location
    const known = isResource(resource) && resourceTypes.has(resource.resourceType as string);
    const at =
      location ?? (known ? ((resource as Record<string, unknown>).resourceType as string) : 'resource');
    // every layer recurses: a resource nested thousands deep would overflow the stack (nesting.ts)
    const tooDeep = nestsDeeperThan(resource) ? tooDeepLocation(resource, at) : undefined;
    const scope =
      tooDeep === undefined ? new ResourceCheck(config, sink).check(resource, at, undefined) : undefined;
    if (scope && config.profiles) config.profiles.check(resource as Record<string, unknown>, at, sink);
    // a conditional reference of a resource on its own (an export line, a file): a Bundle's
    // entries are judged with its type (bundle.ts)
    if (scope && known && (resource as Record<string, unknown>).resourceType !== 'Bundle')
      for (const ref of scope.references) reportConditionalReference(ref, 'outside a Bundle', sink);
    const issues = tooDeep === undefined ? sink.issues : [tooDeepIssue(tooDeep)];
    const result: ResourceResult = { issues, references: scope?.references ?? [] };
    if (sink.codingsNotChecked) result.codingsNotChecked = sink.codingsNotChecked;
    if (isResource(resource)) {
      result.resourceType = resource.resourceType as string;
      if (typeof resource.id === 'string') result.id = resource.id;
    }
    return result;
  };
  return {
    layers,
    digest: env.digest,
    unknownExtensions: options.unknownExtensions ?? 'error',
    allowExampleUrls: config.allowExampleUrls,
    validate,
  };
}

function isResource(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).resourceType === 'string'
  );
}

/** Loads what a session needs: the digest once, structure modules by resource type on demand. */
export interface FhirModuleLoader {
  digest(): Promise<FhirDigest>;
  structure(resourceType: string): Promise<StructureValidator>;
  /** The FHIRPath engine of the invariants layer; without it that layer does not run. */
  fhirPath?(): Promise<FhirPathEngine>;
  /** The UCUM unit checker, loaded when a resource first holds a UCUM unit; without it UCUM units are said not checked. */
  units?(): Promise<UnitChecker>;
  /**
   * When the FHIRPath engine loads: `background` (the default), from the session's start, so a
   * resource that needs it seldom waits (the app's worker, where time to the first result counts);
   * `on-demand`, when a resource first needs it (a batch run such as the CLI's, where CPU counts:
   * most invariants are answered on the JSON, and a run that needs none never loads it).
   */
  fhirPathLoad?: 'background' | 'on-demand';
}

/** A validator that loads structure modules as it meets new resource types. */
export interface FhirSession {
  readonly validator: FhirValidator;
  /** Validates one resource, loading its type's module (and nested types') first when needed. */
  validate(resource: unknown, location?: string): Promise<ResourceResult>;
  /** Synchronous fast path: undefined when a module must be loaded first (then call validate). */
  tryValidate(resource: unknown, location?: string): ResourceResult | undefined;
}

/** Creates a session: loads the digest (and invariants) now, structure modules on demand. */
export async function createFhirSession(
  loader: FhirModuleLoader,
  options: FhirValidatorOptions = {},
): Promise<FhirSession> {
  const layers = new Set(options.layers ?? FHIR_LAYERS);
  // FHIRPath loads in the background (or when first needed): resources that need no invariant
  // evaluated by it do not wait
  let engine: FhirPathEngine | undefined;
  let engineLoad: Promise<FhirPathEngine> | undefined;
  const fhirPath = layers.has('invariants') ? loader.fhirPath : undefined;
  const loadEngine = (load: () => Promise<FhirPathEngine>): Promise<FhirPathEngine> => {
    if (!engineLoad) {
      engineLoad = load().then((loadedEngine) => {
        engine = loadedEngine;
        return loadedEngine;
      });
      engineLoad.catch(() => {}); // a failure surfaces where a resource waits for it, not as an unhandled rejection
    }
    return engineLoad;
  };
  if (fhirPath && loader.fhirPathLoad !== 'on-demand') void loadEngine(fhirPath);
  const digest = await loader.digest();
  const invariants = fhirPath ? createInvariantChecker(digest, () => engine) : undefined;
  const loaded = new Map<string, StructureValidator>();
  let units: UnitChecker | undefined;
  const env: FhirValidatorEnv = {
    digest,
    structure: (type) => loaded.get(type),
    ...(invariants ? { invariants } : {}),
    ...(loader.units ? { units: () => units } : {}),
  };
  const profiles =
    typeof options.profiles === 'function'
      ? options.profiles(digest, fhirPath ? () => engine : undefined, env.units)
      : options.profiles;
  const validator = createFhirValidator(env, { ...options, ...(profiles ? { profiles } : {}) });
  const tryValidate = (resource: unknown, location?: string): ResourceResult | undefined => {
    try {
      return validator.validate(resource, location);
    } catch (error) {
      if (
        error instanceof MissingStructureError ||
        error instanceof MissingFhirPathError ||
        error instanceof MissingUnitsError
      )
        return undefined;
      throw error;
    }
  };
  return {
    validator,
    tryValidate,
    async validate(resource, location) {
      for (;;) {
        try {
          return validator.validate(resource, location);
        } catch (error) {
          if (error instanceof MissingFhirPathError && fhirPath) await loadEngine(fhirPath);
          else if (error instanceof MissingStructureError)
            loaded.set(error.resourceType, await loader.structure(error.resourceType));
          else if (error instanceof MissingUnitsError && loader.units) units = await loader.units();
          else throw error;
        }
      }
    },
  };
}
