/** A response body as JSON; the assertions that follow check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions
export const json = (response: Response): Promise<any> => response.json();
