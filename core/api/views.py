"""Read-only API views that answer conditional GETs before they read the rows (see ``core.api.conditional``)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.db.models import Model
from rest_framework import viewsets
from rest_framework.response import Response

from .conditional import catalogue_stamp, not_modified, stamp, validators


class ConditionalReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail with ETag / Last-Modified.

    A list is stamped by ``stamp_models`` (the tables its rows show), a detail by ``modified(instance)``; a view may
    load the heavy part of a detail in ``prepare(instance)``, which runs only when the answer is not a 304."""

    conditional = True
    validate_by_content = False  # for tables without time stamps: the ETag is a hash of the answer's data
    stamp_models: tuple[type[Model], ...] = ()

    def modified(self, instance: Model) -> datetime | None:
        return getattr(instance, "updated_at", None)

    def prepare(self, instance: Model) -> Model:
        return instance

    def list(self, request, *args, **kwargs):
        if self.validate_by_content:
            queryset = self.filter_queryset(self.get_queryset())
            data = self.get_paginated_response(self.get_serializer(self.paginate_queryset(queryset), many=True).data)
            return self.by_content(request, data.data)
        # The 304 is decided before the filters are even built (most of a 304's cost otherwise). Safe: the ETag
        # covers the full address, and only a 200 ever carries one, so no client holds an ETag for a bad query.
        etag, last_modified = validators(request, catalogue_stamp(self.stamp_models))
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        return stamp(response, etag, last_modified)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        if self.validate_by_content:
            return self.by_content(request, self.get_serializer(self.prepare(instance)).data)
        etag, last_modified = validators(request, self.modified(instance))
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        response = Response(self.get_serializer(self.prepare(instance)).data)
        return stamp(response, etag, last_modified)

    def by_content(self, request, data) -> Response:
        etag, _ = validators(
            request, None, hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
        )
        cached = not_modified(request, etag, None)
        if cached is not None:
            return cached
        return stamp(Response(data), etag, None)
