/** Where a deployed app's generated secret lives in the secret store. */
export function credentialName(host: string, app: string, id: string): string {
  return `deploy/${host}/${app}/${id}`;
}
