import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** One icon of the DSFR's catalogue (`utility/icons/icons.json`). */
type DsfrIcon = { iconId: string; prefix: string; svgRelativePath: string };

/**
 * The DSFR icon classes (`fr-icon-*`) that the sources name, sorted. A class is counted only when
 * the DSFR has it, so a prefix in a comment or a made-up name is ignored (and the page check of
 * the browser tests finds an icon that is named but does not exist).
 */
export function usedIconClasses(sourceDirs: string[], available: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    if (!/\.(tsx?|jsx?|html|css)$/.test(path)) return;
    for (const match of readFileSync(path, 'utf8').matchAll(/fr-icon-[a-z0-9-]+[a-z0-9]/g)) {
      if (available.has(match[0])) found.add(match[0]);
    }
  };
  for (const dir of sourceDirs) visit(dir);
  return [...found].sort();
}

/**
 * Writes the icon stylesheet of the public DSFR copy with the icons the sources use, and copies
 * their SVG files next to it.
 *
 * Why: react-dsfr's `copy-dsfr-to-public` keeps only the files that `dsfr.min.css` references, so
 * the SVGs of the utility icon classes (`fr-icon-lock-line`…) were absent while the full
 * `icons.min.css` pointed at them: every such icon was blank. The library's own
 * `only-include-used-icons` fixes this by rewriting `node_modules` in place, which a shared or
 * read-only `node_modules` forbids; this does the same from the outside, reading `node_modules`
 * only. Returns a short hash of the stylesheet, used to bust the browser cache.
 */
export function writeUsedIcons(options: { dsfrSourceDir: string; dsfrPublicDir: string; sourceDirs: string[] }): {
  classes: string[];
  hash: string;
} {
  const { dsfrSourceDir, dsfrPublicDir, sourceDirs } = options;
  const iconsDir = join('utility', 'icons');
  const catalogue = JSON.parse(readFileSync(join(dsfrSourceDir, iconsDir, 'icons.json'), 'utf8')) as DsfrIcon[];
  const byClass = new Map(catalogue.filter((i) => i.prefix === 'fr-icon-').map((i) => [`${i.prefix}${i.iconId}`, i]));
  const classes = usedIconClasses(sourceDirs, new Set(byClass.keys()));

  const rules: string[] = [];
  for (const className of classes) {
    const icon = byClass.get(className)!;
    rules.push(
      `.${className}::before,.${className}::after{-webkit-mask-image:url("${icon.svgRelativePath}");mask-image:url("${icon.svgRelativePath}")}`,
    );
    const from = resolve(dsfrSourceDir, iconsDir, icon.svgRelativePath);
    const to = resolve(dsfrPublicDir, iconsDir, icon.svgRelativePath);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  const css = `/* DSFR icons used by Atelier (web/scripts/dsfr-icons.ts) */\n${rules.join('\n')}\n`;
  const cssPath = join(dsfrPublicDir, iconsDir, 'icons.min.css');
  mkdirSync(dirname(cssPath), { recursive: true });
  if (!existsSync(cssPath) || readFileSync(cssPath, 'utf8') !== css) writeFileSync(cssPath, css);
  return { classes, hash: fnv1a(css) };
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}
