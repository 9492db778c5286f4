export declare const E2E: string;
export declare const DURATIONS: string;
export declare const GROUPS: number;
export declare const MEMBER: RegExp;
export declare function members(): string[];
export declare function durations(): Record<string, number>;
export declare function groups(): { files: string[]; seconds: number }[];
export declare const HTTP_PROJECTS: string[];
export declare function seconds(all: Record<string, number>, project: string, rel: string): number | null;
