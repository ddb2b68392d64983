/**
 * Implementation guide packages on the Migration workspace's FHIR validation: add packages (file
 * picker or drop), see each one's name, version and SHA-256 and the dependencies it declares that
 * are not loaded, remove one, and choose profiles to apply to every resource of their type (by
 * default each resource is checked against the profiles its meta.profile names). A terminology
 * package (a clinic's own code systems and value sets, or hl7.terminology.r4) is added with a
 * picker of its own: only its codes are used, never its profiles.
 */
import { useId, useState } from 'react';
import { formatBytes, plural } from '../common/format.ts';
import type { FhirPackagesState } from './useFhirPackages.ts';

/** The packages panel; `disabled` while a validation runs. */
export function FhirPackages({ state, disabled }: { state: FhirPackagesState; disabled: boolean }) {
  const titleId = useId();
  const [dragging, setDragging] = useState(false);
  const { packages, missing, absent, unreadable, profiles, problems, busy, add, remove, choose } = state;
  const canChange = !disabled && !busy && add !== undefined;
  const choices = packages.flatMap((p) => p.profiles.map((c) => ({ ...c, pkg: `${p.name} ${p.version}` })));
  const chosen = new Set(profiles);

  return (
    <section aria-labelledby={titleId} className="fhir-packages">
      <h5 id={titleId}>Implementation guide packages</h5>
      <p>
        Add the implementation guide packages the new system requires (US Core, the International Patient
        Summary, a national or vendor guide), as FHIR package files (.tgz). Each resource is then also checked
        against the profiles it declares. Packages are kept in this project in this browser.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone is an extra for mouse users; the file input inside it is the keyboard path */}
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (canChange) void add?.([...event.dataTransfer.files]);
        }}
      >
        <PackagePicker label="Add packages (.tgz)" disabled={!canChange} onFiles={(files) => add?.(files)} />
      </div>
      <div className="row">
        <PackagePicker
          label="Add terminology packages (.tgz)"
          disabled={!canChange}
          onFiles={(files) => add?.(files, true)}
        />
        <p className="hint">
          The clinic’s own code systems and value sets, as a FHIR package: codes of a code system it holds in
          full are checked wherever they appear, and bindings use its value sets. Its profiles are not
          applied.
        </p>
      </div>
      {busy && <p role="status">Reading the package…</p>}
      {problems.length > 0 && (
        <div className="error" role="alert">
          {problems.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      {packages.length > 0 && (
        <ul className="fhir-package-list" aria-label="Packages applied">
          {packages.map((p) => (
            <li key={p.sha256}>
              <strong>
                {p.name} {p.version}
              </strong>{' '}
              <span className="hint">
                {p.terminology
                  ? `(${p.fileName}, ${formatBytes(p.bytes)}; terminology: ${plural(p.terminology.codeSystems, 'code system')}, ${plural(p.terminology.valueSets, 'value set')})`
                  : `(${p.fileName}, ${formatBytes(p.bytes)}; ${plural(p.profiles.length, 'profile')}${p.extensions > 0 ? `, ${plural(p.extensions, 'extension')}` : ''})`}
              </span>
              <br />
              <span className="hint">SHA-256</span> <code className="sha">{p.sha256}</code>{' '}
              <button type="button" disabled={!canChange} onClick={() => void remove?.(p.sha256)}>
                Remove {p.name} {p.version}
              </button>
            </li>
          ))}
        </ul>
      )}
      {unreadable.length > 0 && (
        <ul className="error" aria-label="Packages that could not be read">
          {unreadable.map((u) => (
            <li key={u.sha256}>
              {u.name} {u.version} ({u.fileName}) could not be read again: remove it and add the file again.{' '}
              <button type="button" disabled={!canChange} onClick={() => void remove?.(u.sha256)}>
                Remove {u.name} {u.version} from the project
              </button>
            </li>
          ))}
        </ul>
      )}
      {absent.length > 0 && (
        <div className="warning" role="status">
          <p>
            This project names {plural(absent.length, 'package')} that this browser does not hold (the project
            came from a file or another computer). {absent.length === 1 ? 'It is' : 'They are'} not applied
            until added again:
          </p>
          <ul>
            {absent.map((a) => (
              <li key={a.sha256}>
                {a.name} {a.version} ({a.fileName}), SHA-256 <code className="sha">{a.sha256}</code>{' '}
                <button type="button" disabled={!canChange} onClick={() => void remove?.(a.sha256)}>
                  Remove {a.name} {a.version} from the project
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {missing.length > 0 && (
        <div className="fhir-missing-packages">
          <p>Not loaded, though the packages above depend on them:</p>
          <ul aria-label="Packages not loaded">
            {missing.map((m) => (
              <li key={`${m.name}#${m.version}`}>
                <strong>
                  {m.name} {m.version}
                </strong>
                , needed by {m.requiredBy.map((r) => r.replace('#', ' ')).join(', ')}
              </li>
            ))}
          </ul>
          {/* what each leaves unchecked, said once however many packages it concerns */}
          {[...new Set(missing.map((m) => m.unchecked))].map((text) => {
            const names = missing.filter((m) => m.unchecked === text).map((m) => m.name);
            return (
              <p key={text} className="hint">
                {names.join(', ')}: {text}
              </p>
            );
          })}
        </div>
      )}
      {choices.length > 0 && (
        <fieldset className="fhir-profile-choice" disabled={!canChange}>
          <legend>Profiles to apply</legend>
          <p className="hint">
            Without a choice, each resource is checked against the profiles its meta.profile declares. A
            profile chosen here is also applied to every resource of its type.
          </p>
          <details>
            <summary>
              Choose profiles (
              {profiles.length === 0 ? 'none chosen: as each resource declares' : `${profiles.length} chosen`}
              )
            </summary>
            {choices.map((c) => (
              <label key={c.url}>
                <input
                  type="checkbox"
                  checked={chosen.has(c.url)}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    choose?.(
                      choices.map((x) => x.url).filter((url) => (url === c.url ? on : chosen.has(url))),
                    );
                  }}
                />{' '}
                {c.title}{' '}
                <span className="hint">
                  ({c.type}, {c.pkg})
                </span>
              </label>
            ))}
          </details>
        </fieldset>
      )}
    </section>
  );
}

/** A FHIR package file picker (several files); the input is emptied so the same file can be added again. */
function PackagePicker({
  label,
  disabled,
  onFiles,
}: {
  label: string;
  disabled: boolean;
  onFiles: (files: File[]) => Promise<unknown> | undefined;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{label}</label>{' '}
      <input
        id={id}
        type="file"
        multiple
        accept=".tgz,.gz,application/gzip,application/x-gzip"
        disabled={disabled}
        onChange={(event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          void onFiles(files);
        }}
      />
    </>
  );
}
