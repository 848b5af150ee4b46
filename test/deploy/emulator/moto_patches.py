"""
Patches to moto 5.2.1 (the AWS API emulator of the deploy tests), one per gap met when the
product's stacks are applied to it. Each patch names the moto behaviour it works around; each has
a test (test_moto_patches.py) that shows the gap without the patch and the fix with it, so a moto
that fixes the gap itself shows up as a failing "gap still there" test and the patch can go.

The stacks are never changed for the emulator: only the emulator is.
"""
from moto.ec2.models import EC2Backend
from moto.ec2.models.flow_logs import FlowLogsBackend
from moto.ec2.models.transit_gateway_attachments import TransitGatewayAttachmentBackend
from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend
from moto.ec2.responses.monitoring import Monitoring

_EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _monitoring_response(self, action, state):
    ids = self._get_param("InstanceIds", [])
    items = []
    for instance_id in ids:
        instance = self.ec2_backend.get_instance(instance_id)
        instance.monitoring_state = state
        items.append(f"<item><instanceId>{instance_id}</instanceId><monitoring><state>{state}</state></monitoring></item>")
    return (
        f'<{action}Response xmlns="{_EC2_NS}"><requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>'
        f"<instancesSet>{''.join(items)}</instancesSet></{action}Response>"
    )


def patch_monitor_instances():
    """
    moto: `MonitorInstances` / `UnmonitorInstances` raise NotImplementedError (HTTP 500), so an
    `aws_instance` with `monitoring = true` hangs in create while the provider retries.
    Patch: both answer like EC2 and set the instance's monitoring state.
    """
    originals = (Monitoring.monitor_instances, Monitoring.unmonitor_instances)
    Monitoring.monitor_instances = lambda self: _monitoring_response(self, "MonitorInstances", "enabled")
    Monitoring.unmonitor_instances = lambda self: _monitoring_response(self, "UnmonitorInstances", "disabled")

    def undo():
        Monitoring.monitor_instances, Monitoring.unmonitor_instances = originals

    return undo


def patch_flow_log_s3_prefix():
    """
    moto: `CreateFlowLogs` to S3 looks up everything after `arn:aws:s3:::` as the bucket name, so
    a destination with a prefix (`arn:aws:s3:::bucket/prefix/`) is refused as a missing bucket.
    Patch: check the bucket part only, and keep the whole destination on the flow log.
    """
    original = FlowLogsBackend.create_flow_logs

    def create_flow_logs(self, resource_type, resource_ids, traffic_type, deliver_logs_permission_arn,
                         log_destination_type, log_destination, log_group_name, log_format, max_aggregation_interval):
        bucket_only = log_destination
        if log_destination_type == "s3" and log_destination and log_destination.startswith("arn:aws:s3:::"):
            bucket_only = "arn:aws:s3:::" + log_destination[len("arn:aws:s3:::"):].split("/", 1)[0]
        flow_logs, unsuccessful = original(self, resource_type, resource_ids, traffic_type, deliver_logs_permission_arn,
                                           log_destination_type, bucket_only, log_group_name, log_format,
                                           max_aggregation_interval)
        for flow_log in flow_logs:
            flow_log.log_destination = log_destination
        return flow_logs, unsuccessful

    FlowLogsBackend.create_flow_logs = create_flow_logs

    def undo():
        FlowLogsBackend.create_flow_logs = original

    return undo


def patch_tgw_default_association():
    """
    moto: `CreateTransitGatewayVpcAttachment` always associates the attachment with the transit
    gateway's default route table, even when the gateway has `DefaultRouteTableAssociation =
    disable`; and `DisassociateTransitGatewayRouteTable` fails for that implicit association, so
    `GetTransitGatewayRouteTableAssociations` keeps listing it and the provider (with
    `transit_gateway_default_route_table_association = false`) waits forever.
    Patch: no implicit association when the gateway disables it, and disassociating an implicit
    association removes it.
    """
    original_create = TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment
    original_disassociate = TransitGatewayRouteTableBackend.disassociate_transit_gateway_route_table

    def create_transit_gateway_vpc_attachment(self, *args, **kwargs):
        attachment = original_create(self, *args, **kwargs)
        gateway = self.transit_gateways[attachment.transit_gateway_id]
        if gateway.options.get("DefaultRouteTableAssociation") == "disable" and attachment.transit_gateway_route_table:
            self.unset_route_table_association(attachment.transit_gateway_route_table.id, attachment.id)
            attachment.transit_gateway_route_table = None
        return attachment

    def disassociate_transit_gateway_route_table(self, tgw_attach_id, tgw_rt_id):
        if tgw_attach_id in self.transit_gateway_associations:
            return original_disassociate(self, tgw_attach_id, tgw_rt_id)
        from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRelations

        attachment = self.transit_gateway_attachments[tgw_attach_id]
        table = self.transit_gateways_route_tables[tgw_rt_id]
        table.route_table_associations.pop(tgw_attach_id, None)
        if attachment.transit_gateway_route_table is not None and attachment.transit_gateway_route_table.id == tgw_rt_id:
            attachment.transit_gateway_route_table = None
        self.unset_attachment_association(tgw_attach_id)
        return TransitGatewayRelations(self, tgw_attach_id, tgw_rt_id, state="disassociated")

    TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment
    TransitGatewayRouteTableBackend.disassociate_transit_gateway_route_table = disassociate_transit_gateway_route_table

    def undo():
        TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = original_create
        TransitGatewayRouteTableBackend.disassociate_transit_gateway_route_table = original_disassociate

    return undo


def patch_bucket_policy_secure_transport(served_over_tls=True):
    """
    moto: bucket policy conditions with an operator it does not support (`Bool`) are ignored, so
    `Deny ... Condition: {Bool: {aws:SecureTransport: false}}` (the TLS-only policy of every bucket
    of the product) matches every request, and the bucket's objects answer 403 even over HTTPS.
    Patch: such a statement applies only when the server is reached without TLS (the launcher
    serves TLS when given a certificate); every other statement is evaluated as before.
    """
    import json

    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    original = FakeBucket.get_permission

    def insecure_only(statement):
        condition = statement.get("Condition") or {}
        return list(condition) == ["Bool"] and list(condition["Bool"]) == ["aws:SecureTransport"] and str(condition["Bool"]["aws:SecureTransport"]).lower() == "false"

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy.decode())
        statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
        kept = []
        for statement in statements:
            if insecure_only(statement):
                if served_over_tls:
                    continue
                statement = {k: v for k, v in statement.items() if k != "Condition"}
            kept.append(statement)
        if not kept:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**policy, "Statement": kept})).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission

    def undo():
        FakeBucket.get_permission = original

    return undo


def patch_tgw_route_attachments():
    """
    moto: `CreateTransitGatewayRoute` stores the route's attachment as one object where EC2 answers
    a list (`TransitGatewayAttachments`), so `SearchTransitGatewayRoutes` returns none; the provider
    reads the route as a blackhole without attachment, and every plan replaces it.
    Patch: store the attachment as a list of one.
    """
    from moto.ec2.models.transit_gateway_route_tables import TransitGatewayRouteTableBackend

    original = TransitGatewayRouteTableBackend.create_transit_gateway_route

    def create_transit_gateway_route(self, *args, **kwargs):
        route = original(self, *args, **kwargs)
        if isinstance(route.get("transitGatewayAttachments"), dict):
            route["transitGatewayAttachments"] = [route["transitGatewayAttachments"]]
        return route

    TransitGatewayRouteTableBackend.create_transit_gateway_route = create_transit_gateway_route

    def undo():
        TransitGatewayRouteTableBackend.create_transit_gateway_route = original

    return undo


def patch_tgw_attachment_tags():
    """
    moto: `CreateTransitGatewayVpcAttachment` takes the tags of the `transit-gateway-route-table`
    tag specification instead of `transit-gateway-attachment`, so the attachment's tags (the VLAN
    id among them) are lost and every plan adds them again.
    Patch: tag the attachment with its own tag specification.
    """
    from moto.ec2.responses.transit_gateway_attachments import TransitGatewayAttachment

    original = TransitGatewayAttachment.create_transit_gateway_vpc_attachment

    def create_transit_gateway_vpc_attachment(self):
        result = original(self)
        tags = self._parse_tag_specification().get("transit-gateway-attachment", {})
        if tags:
            attachment = result.result["TransitGatewayVpcAttachment"] if hasattr(result, "result") else None
            if attachment is None:
                attachment = list(self.ec2_backend.transit_gateway_attachments.values())[-1]
            attachment.add_tags(tags)
        return result

    TransitGatewayAttachment.create_transit_gateway_vpc_attachment = create_transit_gateway_vpc_attachment

    def undo():
        TransitGatewayAttachment.create_transit_gateway_vpc_attachment = original

    return undo


def patch_run_instances_termination_protection():
    """
    moto: `RunInstances` ignores `DisableApiTermination`, so an instance created with termination
    protection has none, and every plan turns it on again.
    Patch: the instances of the reservation get the requested protection.
    """
    from moto.ec2.responses.instances import InstanceResponse

    original = InstanceResponse.run_instances

    def run_instances(self):
        backend = self.ec2_backend
        requested = str(self._get_param("DisableApiTermination")).lower() == "true"
        original_backend_run = backend.run_instances

        def run(*args, **kwargs):
            reservation = original_backend_run(*args, **kwargs)
            for instance in reservation.instances:
                instance.disable_api_termination = requested
            return reservation

        backend.run_instances = run
        try:
            return original(self)
        finally:
            del backend.run_instances

    InstanceResponse.run_instances = run_instances

    def undo():
        InstanceResponse.run_instances = original

    return undo


def patch_trail_by_arn():
    """
    moto: `StartLogging`, `StopLogging` and `DeleteTrail` look the trail up by name only, while
    AWS (and the provider, which passes the trail's ARN) accepts its name or ARN: `StartLogging`
    by ARN raises KeyError (HTTP 500) and `aws_cloudtrail` hangs in create while the provider
    retries; `DeleteTrail` by ARN does nothing.
    Patch: the three find the trail by name or ARN, as `GetTrail` already does.
    """
    from moto.cloudtrail.models import CloudTrailBackend

    originals = (CloudTrailBackend.start_logging, CloudTrailBackend.stop_logging, CloudTrailBackend.delete_trail)

    def start_logging(self, name):
        self.get_trail(name).start_logging()

    def stop_logging(self, name):
        self.get_trail(name).stop_logging()

    def delete_trail(self, name):
        for key, trail in list(self.trails.items()):
            if name in (key, trail.arn):
                del self.trails[key]

    CloudTrailBackend.start_logging, CloudTrailBackend.stop_logging, CloudTrailBackend.delete_trail = start_logging, stop_logging, delete_trail

    def undo():
        CloudTrailBackend.start_logging, CloudTrailBackend.stop_logging, CloudTrailBackend.delete_trail = originals

    return undo


def patch_run_instances_interface_groups():
    """
    moto: `RunInstances` with a network interface specification (what the provider sends for an
    instance with a fixed `private_ip`: `NetworkInterface.1.SecurityGroupId.N`) puts the groups on
    the interface only; the instance's own `SecurityGroups` stays empty, so the provider reads
    `vpc_security_group_ids = []` and every plan adds the group again (AWS reports the primary
    interface's groups on the instance).
    Patch: an instance created without instance-level groups gets those of its primary interface.
    """
    from moto.ec2.models.instances import Instance

    original = Instance.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        primary = self.nics.get(0)
        if not self.security_groups and primary is not None:
            self.security_groups = list(primary._group_set)

    Instance.__init__ = init

    def undo():
        Instance.__init__ = original

    return undo


def patch_tgw_attachment_deleted_state():
    """
    moto: `DeleteTransitGatewayVpcAttachment` forgets the attachment at once, where AWS keeps
    describing it, in state `deleted`, for a while; the provider waits for that state after the
    delete and, never seeing it, fails ("couldn't find resource") when a tenant is terminated.
    Patch: the deleted attachment stays described, in state `deleted`.
    """
    original = TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment

    def delete_transit_gateway_vpc_attachment(self, transit_gateway_attachment_id):
        attachment = original(self, transit_gateway_attachment_id)
        self.transit_gateway_attachments[transit_gateway_attachment_id] = attachment
        return attachment

    TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = delete_transit_gateway_vpc_attachment

    def undo():
        TransitGatewayAttachmentBackend.delete_transit_gateway_vpc_attachment = original

    return undo


PATCHES = {
    "monitor-instances": patch_monitor_instances,
    "flow-log-s3-prefix": patch_flow_log_s3_prefix,
    "tgw-default-association": patch_tgw_default_association,
    "bucket-policy-secure-transport": patch_bucket_policy_secure_transport,
    "tgw-route-attachments": patch_tgw_route_attachments,
    "tgw-attachment-tags": patch_tgw_attachment_tags,
    "run-instances-termination-protection": patch_run_instances_termination_protection,
    "trail-by-arn": patch_trail_by_arn,
    "run-instances-interface-groups": patch_run_instances_interface_groups,
    "tgw-attachment-deleted-state": patch_tgw_attachment_deleted_state,
}


def apply_all(served_over_tls):
    undo = [patch() for name, patch in PATCHES.items() if name != "bucket-policy-secure-transport"]
    return undo + [patch_bucket_policy_secure_transport(served_over_tls)]


assert issubclass(EC2Backend, FlowLogsBackend)
