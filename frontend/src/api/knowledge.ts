// The knowledge base API (openapi.json, tag "knowledge"): categories, articles and versions, must-read
// confirmations, search and images. One function per endpoint and the TanStack Query hooks around them.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { uploadFile, type UploadProgress } from './upload';
import type {
  KnowledgeArticle,
  KnowledgeArticlePage,
  KnowledgeArticleSave,
  KnowledgeArticleSummary,
  KnowledgeCategory,
  KnowledgeImage,
  KnowledgeReadStatus,
  KnowledgeSearchResult,
  KnowledgeVersion,
  KnowledgeVersionSummary,
  NewKnowledgeArticle,
  ReadConfirmation,
} from './knowledgeTypes';

const seg = encodeURIComponent;
const article = (id: string) => `/api/knowledge/articles/${seg(id)}`;

export const knowledgeEndpoints = {
  categories: (signal?: AbortSignal) => api.get<KnowledgeCategory[]>('/api/knowledge/categories', { signal }),
  createCategory: (body: { locationId?: string | null; name: string; sortOrder?: number }) =>
    api.post<KnowledgeCategory>('/api/knowledge/categories', body),
  articles: (signal?: AbortSignal) =>
    api.get<KnowledgeArticlePage>('/api/knowledge/articles', { query: { limit: 200 }, signal }),
  article: (id: string, signal?: AbortSignal) => api.get<KnowledgeArticle>(article(id), { signal }),
  create: (body: NewKnowledgeArticle) => api.post<KnowledgeArticle>('/api/knowledge/articles', body),
  /** 409 `version_conflict` (with `fields.currentVersion`) when someone saved in between. */
  save: (id: string, body: KnowledgeArticleSave) => api.put<KnowledgeArticle>(article(id), body),
  publish: (id: string, requireReconfirmation: boolean) =>
    api.post<KnowledgeArticle>(`${article(id)}/publish`, { requireReconfirmation }),
  unpublish: (id: string) => api.post<KnowledgeArticle>(`${article(id)}/unpublish`),
  remove: (id: string) => api.delete(article(id)),
  versions: (id: string, signal?: AbortSignal) =>
    api.get<KnowledgeVersionSummary[]>(`${article(id)}/versions`, { signal }),
  version: (id: string, n: number, signal?: AbortSignal) =>
    api.get<KnowledgeVersion>(`${article(id)}/versions/${n}`, { signal }),
  confirmRead: (id: string, version: number) =>
    api.post<ReadConfirmation>(`${article(id)}/confirm-read`, { version }),
  readStatus: (id: string, signal?: AbortSignal) =>
    api.get<KnowledgeReadStatus>(`${article(id)}/read-status`, { signal }),
  mustRead: (signal?: AbortSignal) => api.get<KnowledgeArticleSummary[]>('/api/knowledge/must-read', { signal }),
  search: (q: string, signal?: AbortSignal) =>
    api.get<KnowledgeSearchResult>('/api/knowledge/search', { query: { q }, signal }),
  uploadImage: (file: Blob, location: string | null, onProgress?: (p: UploadProgress) => void) =>
    uploadFile<KnowledgeImage>('/api/knowledge/images', file, {
      query: location ? { location } : {},
      onProgress,
    }),
};

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  categories: ['knowledge', 'categories'] as const,
  articles: ['knowledge', 'articles'] as const,
  article: (id: string) => ['knowledge', 'article', id] as const,
  versions: (id: string) => ['knowledge', 'versions', id] as const,
  version: (id: string, n: number) => ['knowledge', 'version', id, n] as const,
  readStatus: (id: string) => ['knowledge', 'readStatus', id] as const,
  mustRead: ['knowledge', 'mustRead'] as const,
  search: (q: string) => ['knowledge', 'search', q] as const,
};

export function useKnowledgeCategories() {
  return useQuery({ queryKey: knowledgeKeys.categories, queryFn: ({ signal }) => knowledgeEndpoints.categories(signal) });
}

export function useKnowledgeArticles() {
  return useQuery({ queryKey: knowledgeKeys.articles, queryFn: ({ signal }) => knowledgeEndpoints.articles(signal) });
}

export function useKnowledgeArticle(id: string) {
  return useQuery({ queryKey: knowledgeKeys.article(id), queryFn: ({ signal }) => knowledgeEndpoints.article(id, signal) });
}

export function useKnowledgeVersions(id: string) {
  return useQuery({ queryKey: knowledgeKeys.versions(id), queryFn: ({ signal }) => knowledgeEndpoints.versions(id, signal) });
}

export function useKnowledgeVersion(id: string, n: number | null) {
  return useQuery({
    queryKey: knowledgeKeys.version(id, n ?? 0),
    queryFn: ({ signal }) => knowledgeEndpoints.version(id, n ?? 0, signal),
    enabled: n !== null,
  });
}

export function useReadStatus(id: string, enabled: boolean) {
  return useQuery({
    queryKey: knowledgeKeys.readStatus(id),
    queryFn: ({ signal }) => knowledgeEndpoints.readStatus(id, signal),
    enabled,
    // The list of who has not read yet follows the crew's confirmations.
    refetchInterval: 15_000,
  });
}

export function useMyMustRead(enabled = true) {
  return useQuery({ queryKey: knowledgeKeys.mustRead, queryFn: ({ signal }) => knowledgeEndpoints.mustRead(signal), enabled });
}

export function useKnowledgeSearch(q: string) {
  return useQuery({
    queryKey: knowledgeKeys.search(q),
    queryFn: ({ signal }) => knowledgeEndpoints.search(q, signal),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

/** Everything cached about the knowledge base is refreshed after a change. */
function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: knowledgeKeys.all });
}

export function useConfirmRead(id: string) {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (version: number) => knowledgeEndpoints.confirmRead(id, version), onSuccess: refresh });
}

export function usePublish(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (requireReconfirmation: boolean) => knowledgeEndpoints.publish(id, requireReconfirmation),
    onSuccess: refresh,
  });
}

export function useUnpublish(id: string) {
  const refresh = useRefresh();
  return useMutation({ mutationFn: () => knowledgeEndpoints.unpublish(id), onSuccess: refresh });
}

export function useDeleteArticle(id: string) {
  const refresh = useRefresh();
  return useMutation({ mutationFn: () => knowledgeEndpoints.remove(id), onSuccess: refresh });
}

export function useSaveArticle() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: KnowledgeArticleSave & { locationId?: string | null } }) =>
      id
        ? knowledgeEndpoints.save(id, body)
        : knowledgeEndpoints.create({
            locationId: body.locationId ?? null,
            categoryId: body.categoryId ?? null,
            title: body.title,
            bodyHtml: body.bodyHtml,
            mustRead: body.mustRead ?? false,
          }),
    onSuccess: refresh,
  });
}

export function useCreateCategory() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: knowledgeEndpoints.createCategory, onSuccess: refresh });
}
