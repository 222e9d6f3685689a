import { Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A titled block in the style of Medusa's own detail pages. */
export const Section = ({
  title,
  description,
  actions,
  children,
  testId,
}: {
  title: string
  description?: ReactNode
  actions?: ReactNode
  children: ReactNode
  testId?: string
}) => (
  <Container className="divide-y p-0" data-testid={testId}>
    <div className="flex items-start justify-between gap-x-4 px-6 py-4">
      <div>
        <Heading level="h2">{title}</Heading>
        {description && (
          <Text size="small" className="text-ui-fg-subtle mt-1">
            {description}
          </Text>
        )}
      </div>
      {actions && <div className="flex shrink-0 items-center gap-x-2">{actions}</div>}
    </div>
    {children}
  </Container>
)

/** A label / value pair in a definition grid. */
export const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="flex flex-col gap-y-1">
    <Text size="xsmall" leading="compact" className="text-ui-fg-muted uppercase">
      {label}
    </Text>
    <div className="txt-compact-small text-ui-fg-base">{children}</div>
  </div>
)
