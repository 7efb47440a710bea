"""The metric registry: the one way metrics reach the engine, the CLI, the app and exports."""

from __future__ import annotations

from collections.abc import Iterator

from metrics.definitions import Metric


class MetricRegistry:
    """Metrics in the order they were registered, looked up by their stable id."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}

    def register(self, metric: Metric) -> Metric:
        """Add a metric; an id can be registered once only."""
        if metric.id in self._metrics:
            raise ValueError(f"a metric with id {metric.id!r} is already registered")
        self._metrics[metric.id] = metric
        return metric

    def get(self, metric_id: str) -> Metric:
        """The metric with this id; KeyError naming the known ids otherwise."""
        try:
            return self._metrics[metric_id]
        except KeyError:
            known = ", ".join(self._metrics)
            raise KeyError(f"unknown metric {metric_id!r}; known metrics: {known}") from None

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        return iter(self._metrics.values())

    def __len__(self) -> int:
        return len(self._metrics)

    @property
    def ids(self) -> list[str]:
        return list(self._metrics)


REGISTRY = MetricRegistry()
register = REGISTRY.register
