import { Text } from "@medusajs/ui"
import type { AdminAmazonStatusSample } from "../../types/http"
import { duration } from "../lib/format"

const W = 640
const H = 180
const PAD = { left: 44, right: 56, top: 12, bottom: 26 }

function path(points: [number, number][]) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ")
}

/**
 * Queue depth (left axis) and lag (right axis: the longer of the push lag and the confirmation lag) over
 * time, from the recorded samples plus the live point. Plain SVG: no chart library in the admin bundle.
 */
export const LagChart = ({ samples }: { samples: AdminAmazonStatusSample[] }) => {
  if (samples.length < 2) {
    return (
      <Text size="small" className="text-ui-fg-subtle">
        Not enough samples yet: a point is recorded every 5 minutes.
      </Text>
    )
  }
  const t0 = Date.parse(samples[0].at)
  const t1 = Date.parse(samples[samples.length - 1].at)
  const span = Math.max(1, t1 - t0)
  const lag = samples.map((s) => Math.max(s.push_lag_seconds, s.confirmation_lag_seconds))
  const maxDepth = Math.max(1, ...samples.map((s) => s.queue_depth))
  const maxLag = Math.max(60, ...lag)
  const x = (at: string) => PAD.left + ((Date.parse(at) - t0) / span) * (W - PAD.left - PAD.right)
  const yDepth = (v: number) => H - PAD.bottom - (v / maxDepth) * (H - PAD.top - PAD.bottom)
  const yLag = (v: number) => H - PAD.bottom - (v / maxLag) * (H - PAD.top - PAD.bottom)
  const depthLine = path(samples.map((s) => [x(s.at), yDepth(s.queue_depth)]))
  const lagLine = path(samples.map((s, i) => [x(s.at), yLag(lag[i])]))
  const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })

  return (
    <div className="flex flex-col gap-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label="Queue depth and lag over time">
        {[0, 0.5, 1].map((f) => (
          <line
            key={f}
            x1={PAD.left}
            x2={W - PAD.right}
            y1={PAD.top + f * (H - PAD.top - PAD.bottom)}
            y2={PAD.top + f * (H - PAD.top - PAD.bottom)}
            className="stroke-ui-border-base"
            strokeDasharray="3 3"
          />
        ))}
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="fill-ui-fg-muted" fontSize="10">
          {maxDepth}
        </text>
        <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" className="fill-ui-fg-muted" fontSize="10">
          0
        </text>
        <text x={W - PAD.right + 6} y={PAD.top + 4} className="fill-ui-fg-muted" fontSize="10">
          {duration(maxLag)}
        </text>
        <text x={W - PAD.right + 6} y={H - PAD.bottom} className="fill-ui-fg-muted" fontSize="10">
          0 s
        </text>
        <text x={PAD.left} y={H - 6} className="fill-ui-fg-muted" fontSize="10">
          {time(t0)}
        </text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end" className="fill-ui-fg-muted" fontSize="10">
          {time(t1)} (now)
        </text>
        <path d={depthLine} fill="none" stroke="#3b82f6" strokeWidth="2" />
        <path d={lagLine} fill="none" stroke="#f97316" strokeWidth="2" strokeDasharray="5 3" />
        {samples.map((s, i) => (
          <circle key={s.at + i} cx={x(s.at)} cy={yDepth(s.queue_depth)} r="2.5" fill="#3b82f6" />
        ))}
      </svg>
      <div className="flex gap-x-4">
        <Text size="xsmall" className="text-ui-fg-subtle">
          <span style={{ color: "#3b82f6" }}>━</span> Queue depth (SKUs waiting)
        </Text>
        <Text size="xsmall" className="text-ui-fg-subtle">
          <span style={{ color: "#f97316" }}>╍</span> Lag (oldest waiting change or unconfirmed feed)
        </Text>
      </div>
    </div>
  )
}
