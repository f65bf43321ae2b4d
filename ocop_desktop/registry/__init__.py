"""The register of the programme: producers (chủ thể) and products with their validation, saving,
tombstone delete and restore and paged lists, and the photos and documents attached to them.
"""


from ocop_desktop.registry.attachments import add_attachment, delete_attachment, list_attachments, restore_attachment
from ocop_desktop.registry.producers import (
    ProducerData,
    ProducerRow,
    delete_producer,
    get_producer,
    producer_choices,
    producer_count,
    producer_rows,
    restore_producer,
    save_producer,
)
from ocop_desktop.registry.products import (
    ProductData,
    ProductRow,
    delete_product,
    get_product,
    product_count,
    product_rows,
    restore_product,
    save_product,
)

__all__ = ["ProducerData", "ProducerRow", "ProductData", "ProductRow", "add_attachment", "delete_attachment", "delete_producer", "delete_product", "get_producer", "get_product", "list_attachments", "producer_choices", "producer_count", "producer_rows", "product_count", "product_rows", "restore_attachment", "restore_producer", "restore_product", "save_producer", "save_product"]
