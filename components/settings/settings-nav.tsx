/** The Settings page's sections, in page order: `id` is each section's heading id. */
export const settingsSections = [
  { id: "general", label: "General" },
  { id: "members", label: "Members" },
  { id: "invitations", label: "Invitations" },
  { id: "runners", label: "Runners" },
  { id: "models", label: "Models" },
  { id: "api-keys", label: "API keys" },
  { id: "github", label: "GitHub" },
  { id: "intake-policy", label: "Intake policy" },
  { id: "callbacks", label: "Callbacks" },
] as const;

/**
 * Links to the Settings page's sections: a row of chips above them, and from `xl` up a column
 * beside them that stays in view while the page scrolls (it spans the h1 and the 9 sections).
 */
export function SettingsNav() {
  return (
    <nav
      aria-label="Settings sections"
      className="max-xl:-mt-6 xl:sticky xl:top-16 xl:col-start-2 xl:row-span-10 xl:row-start-1 xl:self-start"
    >
      <ul className="flex flex-wrap gap-1 xl:flex-col xl:gap-0.5 xl:border-l xl:pl-3">
        {settingsSections.map((section) => (
          <li key={section.id}>
            <a
              href={`#${section.id}`}
              className="block rounded-full border px-2.5 py-1 text-muted-foreground text-xs outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring xl:rounded-md xl:border-0 xl:px-2 xl:text-sm"
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
