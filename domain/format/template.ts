// Message templates with named parameters: "{name}" is replaced by params.name. Whole sentences live
// in the catalogues; code never concatenates fragments of a sentence.

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Fills `{name}` placeholders; a placeholder without a parameter is left as written so it shows. */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The parameter names a template uses, in order of first appearance. */
export function templateParams(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}
