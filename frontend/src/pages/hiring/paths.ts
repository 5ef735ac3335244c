// Addresses of the hiring pages, for links.
export function applicationPath(id: string): string {
  return `/staff/applications/${encodeURIComponent(id)}`;
}

export function boardPath(locationId?: string | null): string {
  return locationId ? `/staff/board?location=${encodeURIComponent(locationId)}` : '/staff/board';
}

export function posterPath(locationId: string): string {
  return `/staff/locations/${encodeURIComponent(locationId)}/poster`;
}

/** A location's public application link (what its QR code holds): the server's `applicationUrl`, else built
 * from this site's address. */
export function applicationLink(location: { applicationCode: string; applicationUrl?: string }): string {
  if (location.applicationUrl) return location.applicationUrl;
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return `${origin}/apply/${encodeURIComponent(location.applicationCode)}`;
}
