/**
 * Construct ids are an API: they become Terraform addresses. Ids derived from data (a CIDR, a
 * group name) must be stable and free of the path separator '/'.
 */
export function idFrom(text: string): string {
  return text.replace(/\//g, '_');
}
