// The knowledge base (issue 15): aliases of the generated OpenAPI schemas, and the pieces the screens share.
import type { components } from './schema';

type Schemas = components['schemas'];

export type KnowledgeCategory = Schemas['KnowledgeCategory'];
export type KnowledgeArticleSummary = Schemas['KnowledgeArticleSummary'];
export type KnowledgeArticle = Schemas['KnowledgeArticle'];
export type KnowledgeArticlePage = Schemas['KnowledgeArticlePage'];
export type NewKnowledgeArticle = Schemas['NewKnowledgeArticle'];
export type KnowledgeArticleSave = Schemas['KnowledgeArticleSave'];
export type KnowledgeVersionSummary = Schemas['KnowledgeVersionSummary'];
export type KnowledgeVersion = Schemas['KnowledgeVersion'];
export type KnowledgeReadStatus = Schemas['KnowledgeReadStatus'];
export type KnowledgeReader = Schemas['KnowledgeReader'];
export type KnowledgeSearchResult = Schemas['KnowledgeSearchResult'];
export type KnowledgeSearchHit = Schemas['KnowledgeSearchHit'];
export type KnowledgeImage = Schemas['KnowledgeImage'];
export type ReadConfirmation = Schemas['ReadConfirmation'];

/** The server refuses longer searches (422 `query_too_long`, with `fields.max`). */
export const SEARCH_MAX_CHARS = 200;

/** Marks of a matched word in a search snippet (plain text; never HTML). */
const START = '\u0002';
const STOP = '\u0003';

/** A snippet as parts: `{ text, hit }`, where `hit` marks a matched word. */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const start = rest.indexOf(START);
    if (start < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), hit: false });
    const stop = rest.indexOf(STOP, start + 1);
    const end = stop < 0 ? rest.length : stop;
    parts.push({ text: rest.slice(start + 1, end), hit: true });
    rest = stop < 0 ? '' : rest.slice(stop + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}
